package io.orrery.engine.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.store.JdbcStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Listing by cursor from the store's index, with the node's own unwritten saves laid over it: every instance
 * listed once, in key order, whatever was written when; a status filter sees each instance's latest status.
 */
abstract class InstancePagesSupport {

    static final String ITEMS = """
            workflow('items') {
                input { optional 'n', Integer, 0 }
                rule('big') { match { input.n > 100 && !state.done }; action { call 'step', [n: 1] }
                              reaction { r -> state.done = true } }
            }
            """;

    abstract JdbcStore openStore();

    @Test
    void pagesListEveryInstanceOnceInKeyOrderWrittenOrNot() throws Exception {
        try (JdbcStore store = openStore();
             var cluster = new TestCluster(1).withoutWorkers().start(store, false, TestCluster.options()
                     .withFlushInterval(Duration.ofHours(1)), fn -> Optional.empty())) {
            cluster.deployEverywhere("acme", TestCluster.compile(ITEMS));
            EngineNode node = cluster.nodes.get(0);
            WorkflowEngine engine = node.engine();
            TreeSet<String> all = new TreeSet<>();
            TreeSet<String> active = new TreeSet<>();
            for (int i = 0; i < 30; i++) {
                String key = String.format("k%02d", i);
                engine.submit(InstanceRequest.of("acme", "items", key, Map.of("n", i % 3 == 0 ? 500 : 1)));
                all.add(key);
                if (i % 3 == 0) {
                    active.add(key);
                }
            }
            node.journal().flush();
            // Five more that only the journal holds, and one written instance that turns ACTIVE after the write.
            for (int i = 30; i < 35; i++) {
                String key = String.format("k%02d", i);
                engine.submit(InstanceRequest.of("acme", "items", key, Map.of()));
                all.add(key);
            }
            engine.submit(InstanceRequest.of("acme", "items", "k01", Map.of("n", 700)));
            active.add("k01");
            assertThat(node.journal().unwritten()).isPositive();

            assertThat(keys(pageThrough(engine, null, 7))).containsExactlyElementsOf(all);
            List<InstanceView> activeOnes = pageThrough(engine, InstanceStatus.ACTIVE, 4);
            assertThat(keys(activeOnes)).containsExactlyElementsOf(active);
            assertThat(activeOnes).allSatisfy(v -> assertThat(v.status()).isEqualTo(InstanceStatus.ACTIVE));
            assertThat(keys(pageThrough(engine, InstanceStatus.IDLE, 5)))
                    .containsExactlyElementsOf(new TreeSet<>(all) {{ removeAll(active); }});

            node.journal().flush();
            assertThat(keys(pageThrough(engine, null, 100))).containsExactlyElementsOf(all);
            assertThat(engine.listAfter("acme", "items", null, "k33", 10)).extracting(v -> v.id().key())
                    .containsExactly("k34");
            assertThat(engine.listAfter("acme", "items", null, null, 3)).extracting(v -> v.id().key())
                    .containsExactly("k00", "k01", "k02");
        }
    }

    private static List<InstanceView> pageThrough(WorkflowEngine engine, InstanceStatus status, int limit) {
        List<InstanceView> seen = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 100; pages++) {
            List<InstanceView> page = engine.listAfter("acme", "items", status, after, limit);
            assertThat(page.size()).isLessThanOrEqualTo(limit);
            seen.addAll(page);
            if (page.size() < limit) {
                return seen;
            }
            after = page.get(page.size() - 1).id().key();
        }
        throw new AssertionError("paging did not end");
    }

    private static List<String> keys(List<InstanceView> views) {
        return views.stream().map(v -> v.id().key()).toList();
    }
}
