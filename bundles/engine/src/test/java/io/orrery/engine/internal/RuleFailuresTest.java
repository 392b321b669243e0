package io.orrery.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.engine.RuleDefinition;
import io.orrery.api.engine.RuleMatch;
import io.orrery.api.engine.WorkflowDefinition;
import io.orrery.api.engine.WorkflowModule;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tenant code that throws fails its instance with a message naming the rule, whatever it threw
 * that is the rule's own doing (an exception, a failed {@code assert}, a recursion too deep); what the machine
 * throws (out of memory, a class that cannot be loaded) is not the rule's failure and is not recorded as one.
 */
class RuleFailuresTest {

    static final String CHECKED = """
            workflow('checked') {
                input { optional 'x', Integer, 0; optional 'boom', Boolean, false; optional 'call', Boolean, false }
                rule('guard')  { match { if (input.boom) { throw new IllegalStateException('no x') }
                                         assert input.x < 10
                                         false }
                                 action { } }
                rule('act')    { match { input.x == 3 && !state.acted }
                                 action { state.acted = true; assert state.n == 1 } }
                rule('caught') { match { input.x == 4 && !state.caught }
                                 action { state.caught = true; assert input.x == 5 }
                                 error  { e -> fail "caught: ${e.message}" } }
                rule('ask')    { match { input.call && !state.answer }
                                 action { call 'answer', [:] }
                                 reaction { r -> assert r.a == 1; state.answer = r.a }
                                 error    { e -> assert e.message == 'fine' } }
            }
            """;

    static EngineCore engine(MemoryCallPort port) {
        return EngineWindowsTest.engine(new MemoryInstanceTable(), port);
    }

    static InstanceView submit(EngineCore engine, String key, Map<String, Object> input) {
        return engine.submit(InstanceRequest.of("t", "checked", key, input));
    }

    @Test
    void anExceptionInAMatchFailsTheInstanceNamingTheRule() {
        try (var engine = engine(new MemoryCallPort(Clock.systemUTC()))) {
            engine.deploy("t", EngineCoreTest.module(CHECKED));
            InstanceView v = submit(engine, "k", Map.of("boom", true));
            assertThat(v.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(v.failure()).isEqualTo("rule 'guard' match failed: no x");
        }
    }

    @Test
    void anAssertInAMatchFailsTheInstanceNamingTheRule() {
        try (var engine = engine(new MemoryCallPort(Clock.systemUTC()))) {
            engine.deploy("t", EngineCoreTest.module(CHECKED));
            InstanceView v = submit(engine, "k", Map.of("x", 12));
            assertThat(v.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(v.failure()).startsWith("rule 'guard' match failed: assert input.x < 10");
        }
    }

    @Test
    void anAssertInAnActionFailsTheInstanceNamingTheRule() {
        try (var engine = engine(new MemoryCallPort(Clock.systemUTC()))) {
            engine.deploy("t", EngineCoreTest.module(CHECKED));
            InstanceView v = submit(engine, "k", Map.of("x", 3));
            assertThat(v.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(v.failure()).startsWith("rule 'act': assert state.n == 1");
        }
    }

    @Test
    void anAssertInAnActionGoesToTheRulesErrorBlock() {
        try (var engine = engine(new MemoryCallPort(Clock.systemUTC()))) {
            engine.deploy("t", EngineCoreTest.module(CHECKED));
            InstanceView v = submit(engine, "k", Map.of("x", 4));
            assertThat(v.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(v.failure()).startsWith("caught: assert input.x == 5");
        }
    }

    @Test
    void anAssertInAReactionFailsTheInstanceAndTheResultCountsAsApplied() throws Exception {
        var port = new MemoryCallPort(Clock.systemUTC());
        try (var engine = engine(port)) {
            engine.deploy("t", EngineCoreTest.module(CHECKED));
            submit(engine, "k", Map.of("call", true));
            OutboundCall call = port.claim(1, Duration.ZERO).get(0).call();

            // Completed normally: the results queue acknowledges it rather than offering it again and again.
            var applied = engine.deliverAndWait(CallResult.success(call.instance(), call.callId(), Map.of("a", 2), 1));
            assertThat(applied).isCompleted().isNotCompletedExceptionally();
            InstanceView v = engine.find(call.instance()).orElseThrow();
            assertThat(v.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(v.failure()).startsWith("rule 'ask' reaction failed: assert r.a == 1");
        }
    }

    @Test
    void anAssertInAnErrorBlockFailsTheInstanceNamingTheRule() throws Exception {
        var port = new MemoryCallPort(Clock.systemUTC());
        try (var engine = engine(port)) {
            engine.deploy("t", EngineCoreTest.module(CHECKED));
            submit(engine, "k", Map.of("call", true));
            OutboundCall call = port.claim(1, Duration.ZERO).get(0).call();

            var applied = engine.deliverAndWait(CallResult.failure(call.instance(), call.callId(), "down", 3));
            assertThat(applied).isCompleted().isNotCompletedExceptionally();
            InstanceView v = engine.find(call.instance()).orElseThrow();
            assertThat(v.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(v.failure()).startsWith("rule 'ask' error failed: assert e.message == 'fine'");
        }
    }

    static final String FAMILY = """
            workflow('kid') {
                rule('w') { match { !state.done }; action { state.done = true; complete(output: [n: 2]) } }
            }
            workflow('par') {
                rule('k') { match { !state.kid }; action { workflow 'kid', [:] }
                            reaction { r -> assert r.n == 1; state.kid = r.n } }
            }
            """;

    @Test
    void anAssertInAReactionToAChildWorkflowFailsTheParent() {
        try (var engine = engine(new MemoryCallPort(Clock.systemUTC()))) {
            engine.deploy("t", EngineCoreTest.module(FAMILY));
            engine.submit(InstanceRequest.of("t", "par", "k", Map.of()));
            InstanceView v = engine.find(new InstanceId("t", "par", "k")).orElseThrow();
            assertThat(v.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(v.failure()).startsWith("rule 'k' reaction failed: assert r.n == 1");
        }
    }

    static String versioned(int version, String match) {
        return "workflow('re') {\n version " + version + "\n"
                + "  rule('r') { match { " + match + " }; action { state.seen = input.x } }\n}\n";
    }

    @Test
    void anAssertInAMatchReevaluatedByADeployFailsTheInstanceAndTheDeployGoesThrough() {
        try (var engine = engine(new MemoryCallPort(Clock.systemUTC()))) {
            engine.deploy("t", EngineCoreTest.module(versioned(1, "!state.seen")));
            engine.submit(InstanceRequest.of("t", "re", "k", Map.of("x", 1)));

            var reports = engine.deploy("t", EngineCoreTest.module(versioned(2, "assert input.x > 1; false")));
            assertThat(reports.get(0).reevaluated()).isEqualTo(1);
            InstanceView v = engine.find(new InstanceId("t", "re", "k")).orElseThrow();
            assertThat(v.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(v.failure()).startsWith("rule 'r' match failed: assert input.x > 1");
        }
    }

    @Test
    void anAssertionErrorWithoutAMessageIsNamedByItsType() {
        try (var engine = engine(new MemoryCallPort(Clock.systemUTC()))) {
            engine.deploy("t", javaRule(facts -> {
                throw new AssertionError();
            }));
            InstanceView v = engine.submit(InstanceRequest.of("t", "java", "k", Map.of()));
            assertThat(v.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(v.failure()).isEqualTo("rule 'r' match failed: AssertionError");
        }
    }

    @Test
    void aStackOverflowInAMatchStillFailsTheInstance() {
        try (var engine = engine(new MemoryCallPort(Clock.systemUTC()))) {
            engine.deploy("t", javaRule(facts -> {
                throw new StackOverflowError();
            }));
            InstanceView v = engine.submit(InstanceRequest.of("t", "java", "k", Map.of()));
            assertThat(v.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(v.failure()).isEqualTo("rule 'r' match failed: StackOverflowError");
        }
    }

    @Test
    void errorsOfTheMachineAreNotTakenForTheRulesFailure() {
        for (Error machine : List.of(new OutOfMemoryError("Java heap space"), new NoClassDefFoundError("gone/Klass"))) {
            try (var engine = engine(new MemoryCallPort(Clock.systemUTC()))) {
                engine.deploy("t", javaRule(facts -> {
                    throw machine;
                }));
                assertThatThrownBy(() -> engine.submit(InstanceRequest.of("t", "java", "k", Map.of())))
                        .hasRootCause(machine);
                assertThat(engine.find(new InstanceId("t", "java", "k"))).as("saved after " + machine).isEmpty();
            }
        }
    }

    /** A workflow written in Java, for what Emirax code cannot throw on purpose. */
    static WorkflowModule javaRule(RuleMatch match) {
        var rule = new RuleDefinition("r", 0, null, match, scope -> { }, null, null);
        return new WorkflowModule(List.of(new WorkflowDefinition("java", 1, List.of(), List.of(rule))), List.of());
    }
}
