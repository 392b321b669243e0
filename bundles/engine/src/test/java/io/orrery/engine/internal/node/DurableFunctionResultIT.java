package io.orrery.engine.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.function.OrreryFunction;
import io.orrery.store.JdbcStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A function's result applied in a save that a crash of every member kept from the store is not lost with it. The
 * result was acknowledged once the save was in the map, so the restore brings back the instance with the call pending
 * while the queue, which wrote the call's finish and the result's, would refuse the call sent again under its id: the
 * restore issues it again under a fresh id, and the instance completes. Queues here write behind every 50 ms; the
 * engine's journal writes only when told to.
 */
class DurableFunctionResultIT {

    private static final String WORKFLOW = """
            workflow('slow') {
                rule('one') { match { !state.one }; action { call 'slow', [n: 1] }
                              reaction { r -> state.one = r.n; complete(output: [n: r.n]) } }
            }
            """;

    @Test
    void aResultAppliedButNotWrittenIsAppliedAgainAfterTheWholeClusterDies() throws Exception {
        var id = new InstanceId("acme", "slow", "k");
        WorkflowModule module = TestCluster.compile(WORKFLOW);
        var callWritten = new CountDownLatch(1);
        Function<String, Optional<OrreryFunction>> functions = fn -> Optional.of(TestCluster.function(fn, args -> {
            try {
                callWritten.await(10, TimeUnit.SECONDS); // runs on past a queue flush
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Map.of("n", args.get("n"));
        }));
        var ledger = new CallLedger();
        try (JdbcStore store = RestoreIT.h2()) {
            try (var first = new TestCluster(1, ledger).start(store, true, RestoreIT.manualFlush(), functions)) {
                first.deployEverywhere("acme", module);
                var node = first.nodes.get(0);
                node.engine().submit(InstanceRequest.of("acme", "slow", "k", Map.of()));
                node.journal().flush(); // the instance with its call pending is in the store
                first.queues.get(0).flushJournal(); // and so is the call, while the function runs
                callWritten.countDown();

                await().atMost(Duration.ofSeconds(10)).until(() -> node.engine().find(id)
                        .map(InstanceView::completed).orElse(false));
                long claims = ledger.resultClaims.get();
                // The consumer claims again once it is done with the result it applied.
                await().atMost(Duration.ofSeconds(10)).until(() -> ledger.resultClaims.get() > claims);
                first.queues.get(0).flushJournal(); // the call's finish, and the result's fate, are in the store
                first.killAll(); // the completing save is not: the engine's journal never wrote it
            }
            try (var second = new TestCluster(1, ledger).start(store, true, TestCluster.options(), functions)) {
                second.deployEverywhere("acme", module);
                await().atMost(Duration.ofSeconds(20)).until(() -> second.nodes.get(0).engine().find(id)
                        .map(InstanceView::completed).orElse(false));
                assertThat(ledger.reused).isEmpty(); // the fresh id named no other call
            }
        }
    }
}
