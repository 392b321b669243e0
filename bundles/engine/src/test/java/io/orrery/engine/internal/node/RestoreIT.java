package io.orrery.engine.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.engine.PendingCall;
import io.orrery.api.queue.ClaimRequest;
import io.orrery.api.queue.QueueId;
import io.orrery.engine.internal.queue.QueueCallPort;
import io.orrery.engine.internal.store.InstanceRestore;
import io.orrery.engine.internal.store.InstanceRows;
import io.orrery.engine.internal.store.RestoreGenerations;
import io.orrery.store.JdbcStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Restores from the store: they never take live records back, and never hand out a call id twice. */
class RestoreIT {

    static final String STEPS = """
            workflow('steps') {
                rule('one') { match { !state.one }; action { call 'step', [n: 1] }; reaction { r -> state.one = r.n } }
                rule('two') { match { state.one && !state.two }; action { call 'step', [n: 2] }
                              reaction { r -> state.two = r.n } }
                rule('three') { match { state.two && !state.three }; action { call 'step', [n: 3] }
                              reaction { r -> state.three = r.n } }
            }
            """;

    static EngineNode.Options manualFlush() {
        return TestCluster.options().withFlushInterval(Duration.ofHours(1));
    }

    static JdbcStore h2() {
        return JdbcStore.open("jdbc:h2:mem:engine-restore-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    /** Claims the instance's one call from the function queue and applies a result for it. */
    static void answer(TestCluster cluster, InstanceId id) throws Exception {
        var claims = cluster.queues.get(0).claim(new ClaimRequest(List.of(QueueId.of("acme", QueueCallPort.FUNCTIONS)),
                1, null, Duration.ofSeconds(10)));
        assertThat(claims).hasSize(1);
        OutboundCall call = QueueCallPort.read(claims.get(0).message().payload(), OutboundCall.class);
        cluster.nodes.get(0).engine().deliverAndWait(CallResult.success(id, call.callId(), Map.of("n", 1), 1)).join();
        cluster.queues.get(0).ackAll(claims);
    }

    static Set<String> pendingIds(TestCluster cluster, InstanceId id) {
        Set<String> ids = new HashSet<>();
        cluster.nodes.get(0).engine().find(id).orElseThrow().pending().forEach(p -> ids.add(p.callId()));
        return ids;
    }

    @Test
    void callIdsHandedOutBeforeACrashAreNotHandedOutAgainAfterTheRestore() throws Exception {
        var module = TestCluster.compile(STEPS);
        var id = new InstanceId("acme", "steps", "k");
        Set<String> before = new HashSet<>();
        try (JdbcStore store = h2()) {
            try (var first = new TestCluster(1).withoutWorkers()
                    .start(store, false, manualFlush(), fn -> Optional.empty())) {
                first.deployEverywhere("acme", module);
                first.nodes.get(0).engine().submit(InstanceRequest.of("acme", "steps", "k", Map.of()));
                before.addAll(pendingIds(first, id));
                first.nodes.get(0).journal().flush();
                answer(first, id); // its save, with the next call, never reaches the store
                before.addAll(pendingIds(first, id));
                first.killAll();
            }
            assertThat(before).hasSize(2);
            try (var second = new TestCluster(1).withoutWorkers()
                    .start(store, false, manualFlush(), fn -> Optional.empty())) {
                second.deployEverywhere("acme", module);
                answer(second, id); // the first call again, re-dispatched by the restore
                Set<String> after = pendingIds(second, id);
                assertThat(after).hasSize(1).doesNotContainAnyElementsOf(before);
                assertThat(second.nodes.get(0).engine().find(id).orElseThrow().pending())
                        .extracting(PendingCall::rule).containsExactly("two");
            }
        }
    }

    @Test
    void callIdsHandedOutAfterARestoreAreNotHandedOutAgainAfterASecondCrash() throws Exception {
        var module = TestCluster.compile(STEPS);
        var id = new InstanceId("acme", "steps", "k");
        try (JdbcStore store = h2()) {
            try (var first = new TestCluster(1).withoutWorkers()
                    .start(store, false, manualFlush(), fn -> Optional.empty())) {
                first.deployEverywhere("acme", module);
                first.nodes.get(0).engine().submit(InstanceRequest.of("acme", "steps", "k", Map.of()));
                first.nodes.get(0).journal().flush(); // the store holds the instance with its first call pending
                first.killAll();
            }
            Set<String> afterFirstRestore;
            try (var second = new TestCluster(1).withoutWorkers()
                    .start(store, false, manualFlush(), fn -> Optional.empty())) {
                second.deployEverywhere("acme", module);
                answer(second, id); // its save, with the next call, never reaches the store
                afterFirstRestore = pendingIds(second, id);
                second.killAll();
            }
            try (var third = new TestCluster(1).withoutWorkers()
                    .start(store, false, manualFlush(), fn -> Optional.empty())) {
                third.deployEverywhere("acme", module);
                answer(third, id);
                assertThat(pendingIds(third, id)).hasSize(1).doesNotContainAnyElementsOf(afterFirstRestore);
            }
        }
    }

    @Test
    void aRestoreDoesNotTakeBackARecordTheMapHolds() throws Exception {
        var module = TestCluster.compile(STEPS);
        var id = new InstanceId("acme", "steps", "k");
        try (JdbcStore store = h2();
             var cluster = new TestCluster(1).withoutWorkers()
                    .start(store, false, manualFlush(), fn -> Optional.empty())) {
            cluster.deployEverywhere("acme", module);
            var node = cluster.nodes.get(0);
            node.engine().submit(InstanceRequest.of("acme", "steps", "k", Map.of()));
            node.journal().flush();
            answer(cluster, id);
            long live = node.map().load(id).revision;

            // The marker is lost while the member lives on (its partition and backup were on members that died).
            cluster.members.get(0).getMap(InstanceRestore.META).delete(InstanceRestore.MARKER);
            List<InstanceId> asked = new ArrayList<>();
            long restored = InstanceRestore.restoreIfFirst(cluster.members.get(0), node.map().map(),
                    new InstanceRows(store.dataSource()), new RestoreGenerations(store.dataSource()), rec -> {
                        asked.add(rec.id());
                        return 0;
                    }, records -> { });
            assertThat(restored).isEqualTo(1);
            assertThat(asked).isEmpty(); // the queues are not asked about a record kept
            assertThat(node.map().load(id).revision).isEqualTo(live);
            assertThat(node.engine().find(id).orElseThrow().state()).containsEntry("one", 1);
        }
    }
}
