package io.orrery.api.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanTreeTest {

    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    @Test
    void aChainDeeperThanATreeShowsKeepsEverySpanUnderItsDeepestShownAncestor() {
        // A caller names the parent of each request's span (traceparent): a tenant can chain thousands of them.
        List<SpanRecord> chain = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            chain.add(span("s" + i, i == 0 ? null : "s" + (i - 1), i));
        }

        List<SpanTree> roots = SpanTree.of(chain);

        assertThat(roots).hasSize(1);
        assertThat(count(roots)).isEqualTo(5_000);
        assertThat(depth(roots)).isEqualTo(SpanTree.MAX_DEPTH);
        SpanTree deepest = roots.get(0);
        for (int level = 1; level < SpanTree.MAX_DEPTH - 1; level++) {
            deepest = deepest.children().get(0);
        }
        assertThat(deepest.span().spanId()).isEqualTo("s" + (SpanTree.MAX_DEPTH - 2));
        // Its descendants beyond the last level are its children, in the order they started.
        assertThat(deepest.children()).hasSize(5_000 - SpanTree.MAX_DEPTH + 1);
        assertThat(deepest.children().get(0).span().spanId()).isEqualTo("s" + (SpanTree.MAX_DEPTH - 1));
        assertThat(deepest.children().get(deepest.children().size() - 1).span().spanId()).isEqualTo("s4999");
    }

    @Test
    void treesWithinTheDepthAreKeptAsTheyAre() {
        List<SpanTree> roots = SpanTree.of(List.of(span("b", "a", 2), span("a", null, 1), span("c", "a", 3),
                span("d", "b", 4), span("orphan", "gone", 0)));

        assertThat(roots).extracting(t -> t.span().spanId()).containsExactly("orphan", "a");
        SpanTree a = roots.get(1);
        assertThat(a.children()).extracting(t -> t.span().spanId()).containsExactly("b", "c");
        assertThat(a.children().get(0).children()).extracting(t -> t.span().spanId()).containsExactly("d");
    }

    @Test
    void spansWhoseParentsMakeACycleAreShownNotDropped() {
        List<SpanTree> roots = SpanTree.of(List.of(span("x", "y", 1), span("y", "x", 2), span("r", null, 0)));

        assertThat(count(roots)).isEqualTo(3);
    }

    private static SpanRecord span(String id, String parent, long start) {
        return new SpanRecord(TRACE, id, parent, "acme", "request " + id, start, start + 1, null, null, Map.of());
    }

    private static int count(List<SpanTree> trees) {
        int n = 0;
        List<SpanTree> todo = new ArrayList<>(trees);
        while (!todo.isEmpty()) {
            SpanTree t = todo.remove(todo.size() - 1);
            n++;
            todo.addAll(t.children());
        }
        return n;
    }

    private static int depth(List<SpanTree> trees) {
        int depth = 0;
        List<SpanTree> level = trees;
        while (!level.isEmpty()) {
            depth++;
            level = level.stream().flatMap(t -> t.children().stream()).toList();
        }
        return depth;
    }
}
