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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's recent spans: encoded bytes ({@link SpanCodec}) in a Hazelcast map keyed
 * {@code <startMicros, 16 digits>/<traceId>/<spanId>}. The count is bounded by Hazelcast's own eviction,
 * {@code maxSpans} entries per member ({@link MaxSizePolicy#PER_NODE}), least recently used first: spans are
 * written once and seldom read, so that is close to oldest first. Each put checks only its own partition, so
 * keeping the bound costs nothing that grows with the map. Hazelcast spreads the bound over the partitions
 * ({@code maxSpans} times the members over the partition count each, at least one), so a bound smaller than the
 * partition count keeps one span per partition.
 * <p>
 * A large map ({@link #TRIMMED_PER_PARTITION} spans a partition or more) is kept under its bound by age instead
 * ({@link SpanTrim}, which counts spans), and keeps a {@link SpanGroup} per entry: the spans of one trace that
 * ended within one flush, keyed by the first and dated by the earliest. Hazelcast's work per entry (the put, the
 * record, the sweeps' key comparisons) was most of what recording a span cost, and a trace's spans of a flush are
 * several. Its eviction then counts entries, so it holds a burst that the trim has not caught up with to
 * {@code maxSpans} groups.
 * <p>
 * The age bound is not a per-entry time to live: Hazelcast keeps expiry metadata per entry in a hash map keyed by
 * the serialized key, and its eviction looks every sampled entry up there, which cost more than the rest of
 * recording a span together. Instead {@link #removeOlderThan} drops the spans (groups) that started before a time,
 * found by the key's fixed-width start prefix, on the node's housekeeping schedule.
 */
public final class SpanMap {

    public static final String NAME = "orrery.trace.spans";
    private static final Logger LOG = LoggerFactory.getLogger(SpanMap.class);

    /**
     * The bound per partition from which the map is trimmed by age and keeps groups: below it Hazelcast's
     * eviction, sampling a partition's entries on each put past the bound, costs little, and a small map keeps
     * exactly its bound of spans.
     */
    public static final int TRIMMED_PER_PARTITION = 100;

    private final IMap<String, byte[]> map;
    private final boolean grouped;

    public SpanMap(HazelcastInstance member, int maxSpans) {
        configure(member, maxSpans);
        this.map = member.getMap(NAME);
        this.grouped = maxSpans / member.getPartitionService().getPartitions().size() >= TRIMMED_PER_PARTITION;
    }

    /** Whether the map is large enough to be trimmed by age ({@link SpanTrim}), and so keeps groups. */
    public boolean trimmed() {
        return grouped;
    }

    /**
     * Keeps a batch of spans, grouped by trace, without waiting for the owners' answers: Hazelcast sends one
     * operation per partition. Failures reach {@code failed} with the number of spans not kept.
     */
    public CompletionStage<Void> putAll(List<SpanGroup> groups, BiConsumer<Integer, Throwable> failed) {
        Map<String, byte[]> entries = new LinkedHashMap<>(groups.size() * 2); // in order: later spans are newer
        int spans = 0;
        for (SpanGroup group : groups) {
            spans += group.size();
            if (grouped) {
                entries.put(key(group.startMicros(), group.traceId(), group.firstSpanId()), group.bytes());
            } else {
                for (int i = 0; i < group.size(); i++) {
                    entries.put(key(group.startMicros(i), group.traceId(), group.spanId(i)), group.span(i));
                }
            }
        }
        int sent = spans;
        CompletionStage<Void> kept = map.setAllAsync(entries);
        kept.whenComplete((v, e) -> {
            if (e != null) {
                failed.accept(sent, e);
            }
        });
        return kept;
    }

    /** Drops the spans that started before {@code micros}. */
    public void removeOlderThan(long micros) {
        map.removeAll(Predicates.lessThan("__key", startPrefix(micros)));
    }

    public List<SpanRecord> trace(String traceId) {
        if (!TraceIds.valid(traceId)) {
            throw new IllegalArgumentException("not a trace id: " + traceId);
        }
        List<SpanRecord> spans = new ArrayList<>();
        for (byte[] value : map.values(Predicates.like("__key", "%/" + traceId + "/%"))) {
            spans.addAll(SpanCodec.readAll(value));
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

    /** Entries: spans, or groups of them when the map is {@link #trimmed()}. */
    public int size() {
        return map.size();
    }

    /** @param startMicros the span's start, or its group's earliest */
    static String key(long startMicros, String traceId, String spanId) {
        return startPrefix(startMicros) + "/" + traceId + "/" + spanId;
    }

    /** Microseconds as 16 digits, so that keys compare as their start times do (until the year 2286). */
    private static String startPrefix(long micros) {
        String digits = Long.toString(Math.max(0, micros));
        return "0".repeat(Math.max(0, 16 - digits.length())) + digits;
    }
}
