package io.orrery.trace.internal.span;

import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.orrery.api.trace.SpanRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's recent spans: JSON bytes in a Hazelcast map keyed {@code <traceId>/<startMicros>/<spanId>}, each
 * entry living {@code maxAgeSeconds}. The count is bounded by Hazelcast's own eviction, {@code maxSpans} entries
 * per member ({@link MaxSizePolicy#PER_NODE}), least recently used first: spans are written once and seldom read,
 * so that is close to oldest first. Each put checks only its own partition, so keeping the bound costs nothing
 * that grows with the map. Hazelcast spreads the bound over the partitions ({@code maxSpans} times the members
 * over the partition count each, at least one), so a bound smaller than the partition count keeps one span per
 * partition.
 */
public final class SpanMap {

    public static final String NAME = "orrery.trace.spans";
    private static final Logger LOG = LoggerFactory.getLogger(SpanMap.class);

    private final IMap<String, byte[]> map;
    private final long maxAgeSeconds;

    public SpanMap(HazelcastInstance member, int maxSpans, long maxAgeSeconds) {
        configure(member, maxSpans);
        this.map = member.getMap(NAME);
        this.maxAgeSeconds = maxAgeSeconds;
    }

    /**
     * Keeps the span without waiting for the owner's answer: the thread ending a span (an engine lane, a request)
     * must not wait a network round trip for its bookkeeping. Failures reach {@code failed}.
     */
    public void put(SpanRecord span, java.util.function.Consumer<Throwable> failed) {
        map.setAsync(key(span), SpanCodec.write(span), maxAgeSeconds, TimeUnit.SECONDS)
                .whenComplete((v, e) -> {
                    if (e != null) {
                        failed.accept(e);
                    }
                });
    }

    public List<SpanRecord> trace(String traceId) {
        if (!TraceIds.valid(traceId)) {
            throw new IllegalArgumentException("not a trace id: " + traceId);
        }
        List<SpanRecord> spans = new ArrayList<>();
        for (byte[] value : map.values(Predicates.like("__key", traceId + "/%"))) {
            spans.add(SpanCodec.read(value));
        }
        return spans;
    }

    /**
     * Registers the map's eviction with the cluster. The first member's bound holds for the cluster: a member that
     * asks for another one (a changed {@code maxSpans}) is refused by Hazelcast, and says so.
     */
    private static void configure(HazelcastInstance member, int maxSpans) {
        MapConfig defaults = member.getConfig().getMapConfig("default");
        MapConfig config = new MapConfig(NAME).setBackupCount(defaults.getBackupCount())
                .setAsyncBackupCount(defaults.getAsyncBackupCount())
                .setEvictionConfig(new EvictionConfig().setEvictionPolicy(EvictionPolicy.LRU)
                        .setMaxSizePolicy(MaxSizePolicy.PER_NODE).setSize(maxSpans));
        try {
            member.getConfig().addMapConfig(config);
        } catch (InvalidConfigurationException e) {
            LOG.warn("{}: the cluster keeps its bound of {} spans per member, not this node's {}", NAME,
                    member.getConfig().getMapConfig(NAME).getEvictionConfig().getSize(), maxSpans);
        }
    }

    public int size() {
        return map.size();
    }

    static String key(SpanRecord span) {
        return span.traceId() + "/" + span.startMicros() + "/" + span.spanId();
    }
}
