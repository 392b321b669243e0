package io.orrery.trace.internal;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.trace.internal.span.SpanCodec;
import io.orrery.trace.internal.span.SpanMap;

/** Counts the spans in the cluster's map, whose entries are groups of spans when the map is trimmed. */
final class SpansInMap {

    private SpansInMap() {
    }

    static int count(HazelcastInstance member) {
        return member.<String, byte[]>getMap(SpanMap.NAME).values().stream()
                .mapToInt(v -> SpanCodec.readAll(v).size()).sum();
    }
}
