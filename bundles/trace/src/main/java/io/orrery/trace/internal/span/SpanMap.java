package io.orrery.trace.internal.span;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.orrery.api.trace.SpanRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's recent spans: JSON bytes in a Hazelcast map keyed {@code <traceId>/<startMicros>/<spanId>}, each
 * entry living {@code maxAgeSeconds}. The count is bounded by {@link #trim()}, which drops the oldest spans past
 * {@code maxSpans}; the start time is in the key so trimming never parses a value.
 */
public final class SpanMap {

    public static final String NAME = "orrery.trace.spans";

    private final IMap<String, byte[]> map;
    private final int maxSpans;
    private final long maxAgeSeconds;

    public SpanMap(HazelcastInstance member, int maxSpans, long maxAgeSeconds) {
        this.map = member.getMap(NAME);
        this.maxSpans = maxSpans;
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

    /** Drops the oldest spans beyond the bound; answers how many it dropped. */
    public int trim() {
        int excess = map.size() - maxSpans;
        if (excess <= 0) {
            return 0;
        }
        Set<String> keys = map.keySet();
        List<String> oldest = keys.stream().sorted(Comparator.comparingLong(SpanMap::startOf)).limit(excess).toList();
        oldest.forEach(map::delete);
        return oldest.size();
    }

    public int size() {
        return map.size();
    }

    static String key(SpanRecord span) {
        return span.traceId() + "/" + span.startMicros() + "/" + span.spanId();
    }

    private static long startOf(String key) {
        int first = key.indexOf('/');
        return Long.parseLong(key.substring(first + 1, key.indexOf('/', first + 1)));
    }
}
