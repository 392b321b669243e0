package io.orrery.api.trace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A span with its children, ordered by start time. */
public record SpanTree(SpanRecord span, List<SpanTree> children) {

    /**
     * The most levels a tree shows. A caller names the parent of its request's span ({@code traceparent}), so a
     * trace can be a chain of thousands: deeper spans are shown as children of their ancestor on the level above
     * the last, in the order they started, and readers (the viewer, the shell, JSON) never nest without bound.
     */
    public static final int MAX_DEPTH = 100;

    private static final Comparator<SpanRecord> BY_START =
            Comparator.comparingLong(SpanRecord::startMicros).thenComparing(SpanRecord::spanId);

    /** A span as it is placed: on its level, under the span that shows it. */
    private record Placed(SpanRecord span, int level, String shownUnder) {
    }

    /**
     * The trees of a trace's spans: a span whose parent is not among them (the root, or a child of a span not
     * kept) starts a tree of its own, as does a span whose ancestors make a cycle.
     */
    public static List<SpanTree> of(List<SpanRecord> spans) {
        Map<String, SpanRecord> byId = new HashMap<>();
        for (SpanRecord s : spans) {
            byId.put(s.spanId(), s);
        }
        Map<String, List<SpanRecord>> byParent = new HashMap<>();
        List<SpanRecord> roots = new ArrayList<>();
        for (SpanRecord s : byId.values()) {
            if (s.parentSpanId() != null && byId.containsKey(s.parentSpanId())) {
                byParent.computeIfAbsent(s.parentSpanId(), p -> new ArrayList<>()).add(s);
            } else {
                roots.add(s);
            }
        }
        Map<String, List<SpanRecord>> shown = new HashMap<>();
        Set<String> placed = new HashSet<>();
        place(roots, byParent, shown, placed);
        List<SpanRecord> inCycles = byId.values().stream().filter(s -> !placed.contains(s.spanId()))
                .sorted(BY_START).toList();
        for (SpanRecord s : inCycles) {
            if (!placed.contains(s.spanId())) {
                roots.add(s);
                place(List.of(s), byParent, shown, placed);
            }
        }
        return build(roots, shown);
    }

    /** Places the spans below {@code roots}, level by level, without recursion. */
    private static void place(List<SpanRecord> roots, Map<String, List<SpanRecord>> byParent,
                              Map<String, List<SpanRecord>> shown, Set<String> placed) {
        Deque<Placed> todo = new ArrayDeque<>();
        for (SpanRecord r : roots) {
            placed.add(r.spanId());
            todo.add(new Placed(r, 1, null));
        }
        while (!todo.isEmpty()) {
            Placed p = todo.poll();
            boolean last = p.level() == MAX_DEPTH;
            String under = last ? p.shownUnder() : p.span().spanId();
            int level = last ? p.level() : p.level() + 1;
            for (SpanRecord child : byParent.getOrDefault(p.span().spanId(), List.of())) {
                if (placed.add(child.spanId())) {
                    shown.computeIfAbsent(under, k -> new ArrayList<>()).add(child);
                    todo.add(new Placed(child, level, under));
                }
            }
        }
    }

    // Recursive, but at most MAX_DEPTH deep.
    private static List<SpanTree> build(List<SpanRecord> spans, Map<String, List<SpanRecord>> shown) {
        return spans.stream().sorted(BY_START)
                .map(s -> new SpanTree(s, build(shown.getOrDefault(s.spanId(), List.of()), shown)))
                .toList();
    }
}
