package io.orrery.api.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A span with its children, ordered by start time. */
public record SpanTree(SpanRecord span, List<SpanTree> children) {

    /**
     * The trees of a trace's spans: a span whose parent is not among them (the root, or a child of a span not
     * kept) starts a tree of its own.
     */
    public static List<SpanTree> of(List<SpanRecord> spans) {
        Map<String, List<SpanRecord>> byParent = new HashMap<>();
        Map<String, SpanRecord> byId = new HashMap<>();
        for (SpanRecord s : spans) {
            byId.put(s.spanId(), s);
        }
        List<SpanRecord> roots = new ArrayList<>();
        for (SpanRecord s : byId.values()) {
            if (s.parentSpanId() != null && byId.containsKey(s.parentSpanId())) {
                byParent.computeIfAbsent(s.parentSpanId(), p -> new ArrayList<>()).add(s);
            } else {
                roots.add(s);
            }
        }
        return build(roots, byParent);
    }

    private static List<SpanTree> build(List<SpanRecord> spans, Map<String, List<SpanRecord>> byParent) {
        return spans.stream()
                .sorted(Comparator.comparingLong(SpanRecord::startMicros).thenComparing(SpanRecord::spanId))
                .map(s -> new SpanTree(s, build(byParent.getOrDefault(s.spanId(), List.of()), byParent)))
                .toList();
    }
}
