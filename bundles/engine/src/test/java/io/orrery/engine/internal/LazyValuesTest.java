package io.orrery.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.CallRequest;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.RuleDefinition;
import io.orrery.api.engine.RuleReaction;
import io.orrery.api.engine.WorkflowDefinition;
import io.orrery.api.engine.WorkflowModule;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Rule code runs only inside its section, under the time limit and the memory budget. Values whose conversion runs
 * rule code (a lazy GString {@code "${-> ...}"}, a closure made into a map, a GString holding the script) are
 * converted inside the section when a verb takes them (call arguments, a child's input, the output), and refused
 * when they would be converted after it (the state), so no rule code runs where nothing stops it. Each engine here
 * has one lane: an instance that stuck it would stop every other.
 */
class LazyValuesTest {

    static final Duration LIMIT = Duration.ofMillis(200);
    /** Submits run off the test's thread, so a stuck lane fails the test instead of hanging it. */
    static final Executor OWN_THREAD = task -> {
        Thread t = new Thread(task, "lazy-values-submit");
        t.setDaemon(true);
        t.start();
    };

    /** Rule 'r' of workflow 'w' runs {@code action} once; 'calm' shows the lane still evaluating afterwards. */
    static WorkflowModule acting(String action) {
        return EngineCoreTest.module("""
                workflow('w')    { rule('r') { match { !state.done }; action { state.done = true; %s } } }
                workflow('kid')  { rule('k') { match { false }; action { } } }
                workflow('calm') { rule('c') { match { !state.done }; action { state.done = true } } }
                """.formatted(action));
    }

    static EngineCore oneLane(MemoryCallPort port) {
        return new EngineCore(EngineSettings.defaults().withLanes(1).withSectionTimeLimit(LIMIT),
                new MemoryInstanceTable(), port, null, Clock.systemUTC());
    }

    static InstanceView submitted(EngineCore engine, String workflow, String key) {
        var view = CompletableFuture.supplyAsync(
                () -> engine.submit(InstanceRequest.of("t", workflow, key, Map.of())), OWN_THREAD);
        await().atMost(Duration.ofSeconds(5)).until(view::isDone);
        return view.join();
    }

    /** Runs the action in a fresh engine; answers the instance, once the lane evaluated another one after it. */
    static InstanceView afterActing(String action) {
        var port = new MemoryCallPort(Clock.systemUTC());
        try (var engine = oneLane(port)) {
            engine.deploy("t", acting(action));
            InstanceView v = submitted(engine, "w", "k");
            assertThat(submitted(engine, "calm", "next").status()).as("the lane after " + action)
                    .isEqualTo(InstanceStatus.IDLE);
            assertThat(port.waiting()).as("calls made by " + action).isZero();
            return v;
        }
    }

    @Test
    void aLazyGStringThatNeverEndsInStateFailsTheInstanceNamingTheRuleAndTheLaneGoesOn() {
        InstanceView v = afterActing("state.s = \"${-> while (true) { } }\"");
        assertThat(v.status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(v.failure())
                .startsWith("rule 'r' action failed: state.s: a lazy GString (${-> …}) is not a value");
        assertThat(v.state()).doesNotContainKey("s");
    }

    @Test
    void aLazyGStringThatAssertsInStateFailsTheInstanceNamingTheRule() {
        InstanceView v = afterActing("state.s = [n: [\"${-> assert false}\"]]");
        assertThat(v.status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(v.failure()).startsWith("rule 'r' action failed: state.s.n[0]: a lazy GString");
    }

    @Test
    void valuesThatWouldRunRuleCodeAsTheyAreStoredAreRefused() {
        Map<String, String> refusals = Map.of(
                "state.s = \"${[\"${-> while (true) { } }\"]}\"", "state.s (a GString)[0]: a lazy GString",
                "state.m = [:]; state.m[\"${-> 'k'}\"] = 1", "state.m (a key): a lazy GString",
                "state.s = ({ Object[] a -> while (true) { } } as Map)", "(made with 'as'?) is not a value",
                "state.s = \"${this}\"", "state.s (a GString): the script (this) is not a value",
                "state.s = \"${[{ -> while (true) { } }]}\"", "state.s (a GString)[0]: a closure is not a value",
                "def a = []; 100000.times { a = [a] }; state.s = a", "nested deeper than 256 levels");
        refusals.forEach((action, refusal) -> {
            InstanceView v = afterActing(action);
            assertThat(v.status()).as(action).isEqualTo(InstanceStatus.FAILED);
            assertThat(v.failure()).as(action).startsWith("rule 'r' action failed: ").contains(refusal);
        });
    }

    @Test
    void aLazyGStringLeftInStateByASectionThatFailedIsNotKept() {
        InstanceView thrown = afterActing(
                "state.s = \"${-> while (true) { } }\"; throw new IllegalStateException('no')");
        assertThat(thrown.failure()).isEqualTo("rule 'r': no");
        assertThat(thrown.state()).doesNotContainKey("s").containsEntry("done", true);

        InstanceView stopped = afterActing("state.s = [\"${-> while (true) { } }\"]; while (true) { }");
        assertThat(stopped.failure()).isEqualTo("rule 'r' action ran over its time limit of 200 ms and was stopped");
        assertThat(stopped.state()).doesNotContainKey("s");
    }

    @Test
    void aLazyGStringThatNeverEndsInACallsArgumentsRunsInTheRuleUnderItsTimeLimit() {
        InstanceView v = afterActing("call 'f', [a: \"${-> while (true) { } }\"]");
        assertThat(v.status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(v.failure()).isEqualTo("rule 'r' action ran over its time limit of 200 ms and was stopped");
        assertThat(v.pending()).isEmpty();
    }

    @Test
    void aLazyGStringThatAssertsInACallsArgumentsFailsTheInstanceNamingTheRule() {
        InstanceView v = afterActing("call 'f', [a: \"${-> assert false}\"]");
        assertThat(v.status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(v.failure()).startsWith("rule 'r': assert false");
    }

    @Test
    void argumentsChangedAfterTheCallAreNotTheCalls() {
        var port = new MemoryCallPort(Clock.systemUTC());
        try (var engine = oneLane(port)) {
            engine.deploy("t", acting("def m = [a: 1]; def c = call 'f', m; m.a = \"${-> while (true) { } }\"; "
                    + "c.args.b = \"${-> while (true) { } }\""));
            InstanceView v = submitted(engine, "w", "k");
            assertThat(v.status()).isEqualTo(InstanceStatus.ACTIVE);
            assertThat(v.pending()).singleElement().extracting(p -> p.request().args()).isEqualTo(Map.of("a", 1));
            assertThat(submitted(engine, "calm", "next").status()).isEqualTo(InstanceStatus.IDLE);
        }
    }

    @Test
    void aLazyGStringInAChildWorkflowsInputRunsInTheRule() {
        InstanceView loops = afterActing("workflow 'kid', [a: \"${-> while (true) { } }\"]");
        assertThat(loops.failure()).isEqualTo("rule 'r' action ran over its time limit of 200 ms and was stopped");
        InstanceView asserts = afterActing("workflow 'kid', [a: \"${-> assert false}\"]");
        assertThat(asserts.failure()).startsWith("rule 'r': assert false");
    }

    @Test
    void aLazyGStringInTheOutputRunsInTheRule() {
        InstanceView loops = afterActing("complete(output: [a: \"${-> while (true) { } }\"])");
        assertThat(loops.failure()).isEqualTo("rule 'r' action ran over its time limit of 200 ms and was stopped");
        InstanceView asserts = afterActing("complete(output: [a: \"${-> assert false}\"])");
        assertThat(asserts.failure()).startsWith("rule 'r': assert false");
    }

    @Test
    void aLazyGStringInTheArgumentsOfAFailedMethodCallRunsUnderTheTimeLimit() {
        // Groovy's "No signature of method" message renders the call's arguments when it is read
        InstanceView loops = afterActing("'abc'.substring(\"${-> while (true) { } }\")");
        assertThat(loops.failure()).isEqualTo("rule 'r' action ran over its time limit of 200 ms and was stopped");
        InstanceView asserts = afterActing("'abc'.substring(\"${-> assert false}\")");
        assertThat(asserts.status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(asserts.failure()).startsWith("rule 'r': ");
    }

    @Test
    void aLazyGStringInAMatchsFailureRunsUnderTheTimeLimit() {
        try (var engine = oneLane(new MemoryCallPort(Clock.systemUTC()))) {
            engine.deploy("t", EngineCoreTest.module("""
                    workflow('m') { rule('r') { match { 'abc'.substring("${-> while (true) { } }") }; action { } } }
                    workflow('calm') { rule('c') { match { !state.done }; action { state.done = true } } }
                    """));
            InstanceView v = submitted(engine, "m", "k");
            assertThat(v.failure()).isEqualTo("rule 'r' match ran over its time limit of 200 ms and was stopped");
            assertThat(submitted(engine, "calm", "next").status()).isEqualTo(InstanceStatus.IDLE);
        }
    }

    @Test
    void anInputDefaultThatWouldRunRuleCodeIsRefusedAtDeploy() {
        try (var engine = oneLane(new MemoryCallPort(Clock.systemUTC()))) {
            var module = EngineCoreTest.module("""
                    workflow('d') {
                        input { optional 'x', Map, [a: "${-> while (true) { } }"] }
                        rule('r') { match { !state.done }; action { state.done = true } }
                    }
                    """);
            assertThatThrownBy(() -> engine.deploy("t", module)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("input x").hasMessageContaining("a lazy GString");
        }
    }

    // ---- machine errors with zero lanes (the test kit) --------------------------------------------------------

    @Test
    void eventsQueuedBehindOneThatFailedWithAMachineErrorStillRun() {
        var starter = new RuleDefinition("s", 0, null, facts -> !facts.state().containsKey("started"), scope -> {
            scope.state().put("started", true);
            scope.call(CallRequest.workflow("broken", Map.of()));
            scope.call(CallRequest.workflow("sound", Map.of()));
        }, null, null);
        var broken = new RuleDefinition("b", 0, null, facts -> {
            throw new NoClassDefFoundError("gone/Klass");
        }, scope -> { }, null, null);
        var sound = new RuleDefinition("o", 0, null, facts -> !facts.state().containsKey("done"),
                scope -> scope.state().put("done", true), null, null);
        try (var engine = RuleFailuresTest.engine(new MemoryCallPort(Clock.systemUTC()))) {
            engine.deploy("t", new WorkflowModule(List.of(workflow("parent", starter), workflow("broken", broken),
                    workflow("sound", sound)), List.of()));
            engine.submit(InstanceRequest.of("t", "parent", "k", Map.of()));
            assertThat(engine.find(new InstanceId("t", "sound", "k")).orElseThrow().state())
                    .containsEntry("done", true);
        }
    }

    @Test
    void aParentWhoseReactionFailedWithAMachineErrorIsToldAgain() {
        var once = new AtomicBoolean(true);
        RuleReaction reaction = (scope, result, call) -> {
            if (once.getAndSet(false)) {
                throw new NoClassDefFoundError("gone/Klass");
            }
            scope.state().put("kid", result.get("n"));
        };
        var parent = new RuleDefinition("p", 0, null, facts -> !facts.state().containsKey("asked"), scope -> {
            scope.state().put("asked", true);
            scope.call(CallRequest.workflow("child", Map.of()));
        }, reaction, null);
        var child = new RuleDefinition("c", 0, null, facts -> !facts.state().containsKey("done"), scope -> {
            scope.state().put("done", true);
            scope.complete(Map.of("n", 1));
        }, null, null);
        try (var engine = RuleFailuresTest.engine(new MemoryCallPort(Clock.systemUTC()))) {
            engine.deploy("t", new WorkflowModule(List.of(workflow("parent", parent), workflow("child", child)),
                    List.of()));
            engine.submit(InstanceRequest.of("t", "parent", "k", Map.of()));
            var id = new InstanceId("t", "parent", "k");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> engine.find(id).orElseThrow().state().containsKey("kid"));
            assertThat(engine.find(id).orElseThrow().state()).containsEntry("kid", 1);
        }
    }

    static WorkflowDefinition workflow(String name, RuleDefinition rule) {
        return new WorkflowDefinition(name, 1, List.of(), List.of(rule));
    }
}
