package io.orrery.engine.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.fault.CrashAction;
import io.orrery.api.fault.SimulatedCrash;
import io.orrery.api.function.OrreryFunction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The workflow every crash test runs, the client that drives it, the crashes, and the invariants checked after
 * them. The workflow passes every kind of hand-over: function calls, a child workflow (started after the parent's
 * save, telling the parent after its own), a timer; each reaction counts itself in the state.
 */
final class CrashScenario {

    static final String TENANT = "acme";
    static final String WORKFLOWS = """
            workflow('child') {
                input { optional 'n', Integer, 0 }
                rule('work') { match { !state.done }; action { call 'step', [n: input.n] }
                               reaction { r -> state.done = true; state.r_work = (state.r_work ?: 0) + 1
                                               complete(output: [n: r.n]) } }
            }
            workflow('crash') {
                rule('one') { match { !state.one }; action { call 'step', [n: 1] }
                              reaction { r -> state.one = r.n; state.r_one = (state.r_one ?: 0) + 1 } }
                rule('kid') { match { state.one && !state.kid }; action { workflow 'child', [n: 2] }
                              reaction { r -> state.kid = r.n; state.r_kid = (state.r_kid ?: 0) + 1 } }
                rule('nap') { match { state.kid && !state.napped }; action { after '30ms' }
                              reaction { r -> state.napped = true; state.r_nap = (state.r_nap ?: 0) + 1 } }
                rule('two') { match { state.napped && !state.two }; action { call 'step', [n: 2] }
                              reaction { r -> state.two = r.n; state.r_two = (state.r_two ?: 0) + 1
                                              complete(output: [sum: state.one + state.kid + r.n]) } }
            }
            """;
    static final List<String> PARENT_REACTIONS = List.of("r_one", "r_kid", "r_nap", "r_two");
    private static WorkflowModule module;

    private CrashScenario() {
    }

    static synchronized WorkflowModule module() {
        if (module == null) {
            module = TestCluster.compile(WORKFLOWS);
        }
        return module;
    }

    static Function<String, Optional<OrreryFunction>> functions() {
        return fn -> Optional.of(TestCluster.function(fn, args -> Map.of("n", args.get("n"))));
    }

    /**
     * A client: each request goes to a live node; one that fails (its node died) is sent again to another. A request
     * no node takes within 30 s fails the test with the last refusal, or with the threads' stacks if the last attempt
     * never returned.
     */
    static void submit(TestCluster cluster, List<String> keys) {
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            AtomicInteger node = new AtomicInteger(i);
            if (cluster.allDead()) {
                return; // the whole cluster was killed: the client sends the rest to the next one
            }
            AtomicReference<RuntimeException> refusal = new AtomicReference<>();
            AtomicBoolean sending = new AtomicBoolean();
            try {
                await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                    if (cluster.allDead()) {
                        return true;
                    }
                    sending.set(true);
                    try {
                        cluster.anyAlive(node.getAndIncrement()).engine()
                                .submit(InstanceRequest.of(TENANT, "crash", key, Map.of()));
                    } catch (RuntimeException e) {
                        refusal.set(e);
                        throw e;
                    } finally {
                        sending.set(false);
                    }
                    return true;
                });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(sending.get()
                        ? "request " + key + ": the last attempt never returned; threads:\n" + threads()
                        : "request " + key + ": every node refused it for 30 s; the last refusal: " + refusal.get(),
                        refusal.get());
            }
        }
    }

    private static String threads() {
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            dump.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
            for (StackTraceElement e : stack) {
                dump.append("    at ").append(e).append('\n');
            }
        });
        return dump.toString();
    }

    /** Halts the member that reaches the point the {@code hit}-th time, exactly there. */
    static CrashAction terminateMember(TestCluster cluster, int hit, AtomicBoolean fired) {
        AtomicInteger hits = new AtomicInteger();
        return (point, scope) -> {
            int i = cluster.indexOf(scope);
            if (i < 0 || hits.incrementAndGet() != hit || !fired.compareAndSet(false, true)) {
                return;
            }
            cluster.terminate(i);
            throw new SimulatedCrash(point);
        };
    }

    /** Kills every member when any reaches the point the {@code hit}-th time. */
    static CrashAction killCluster(TestCluster cluster, int hit, AtomicBoolean fired) {
        return killCluster(cluster, hit, fired, new CountDownLatch(1));
    }

    /** As {@link #killCluster(TestCluster, int, AtomicBoolean)}; {@code killed} opens once every node is down. */
    static CrashAction killCluster(TestCluster cluster, int hit, AtomicBoolean fired, CountDownLatch killed) {
        AtomicInteger hits = new AtomicInteger();
        return (point, scope) -> {
            if (cluster.indexOf(scope) < 0 || hits.incrementAndGet() != hit || !fired.compareAndSet(false, true)) {
                return;
            }
            try {
                cluster.killAll();
            } finally {
                killed.countDown();
            }
            throw new SimulatedCrash(point);
        };
    }

    /** Stops the engine of the node that reaches the point the {@code hit}-th time and starts it again. */
    static CrashAction restartEngine(TestCluster cluster, int hit, AtomicBoolean fired,
                                     java.util.function.Consumer<Thread> restarts) {
        AtomicInteger hits = new AtomicInteger();
        return (point, scope) -> {
            int i = cluster.indexOf(scope);
            if (i < 0 || hits.incrementAndGet() != hit || !fired.compareAndSet(false, true)) {
                return;
            }
            Thread restart = new Thread(() -> cluster.restartEngine(i), "test-engine-restart");
            restarts.accept(restart);
            restart.start();
            throw new SimulatedCrash(point);
        };
    }

    /**
     * Every accepted request completes; every reaction was applied exactly once; nothing stays ACTIVE with nothing in
     * flight; no call id stood for two calls.
     */
    static void awaitInvariants(TestCluster cluster, List<String> keys, Duration within) {
        await().dontCatchUncaughtExceptions().atMost(within).untilAsserted(() -> {
            WorkflowEngine engine = cluster.anyAlive(0).engine();
            for (String key : keys) {
                InstanceView v = engine.find(new InstanceId(TENANT, "crash", key)).orElse(null);
                assertThat(v).as("instance %s", key).isNotNull();
                assertThat(v.completed()).as("%s completed: %s", key, v).isTrue();
            }
        });
        WorkflowEngine engine = cluster.anyAlive(0).engine();
        for (String key : keys) {
            InstanceView parent = engine.find(new InstanceId(TENANT, "crash", key)).orElseThrow();
            assertThat(parent.status()).as(key).isEqualTo(InstanceStatus.IDLE);
            assertThat(parent.pending()).as(key).isEmpty();
            assertThat(parent.output()).as(key).isEqualTo(Map.of("sum", 5));
            for (String r : PARENT_REACTIONS) {
                assertThat(parent.state().get(r)).as("%s applied once in %s: %s", r, key, parent.state()).isEqualTo(1);
            }
            InstanceView child = engine.find(new InstanceId(TENANT, "child", key)).orElseThrow();
            assertThat(child.state().get("r_work")).as("child of %s", key).isEqualTo(1);
            assertThat(child.status()).isEqualTo(InstanceStatus.IDLE);
        }
        for (String wf : List.of("crash", "child")) {
            assertThat(engine.list(TENANT, wf, InstanceStatus.ACTIVE, 0, 10_000))
                    .as("ACTIVE %s instances with nothing in flight", wf).isEmpty();
        }
        assertThat(cluster.ledger.reused).as("call ids standing for two calls").isEmpty();
    }
}
