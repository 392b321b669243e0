package io.orrery.emirax.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.engine.InstanceStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Regular expressions and allocations of rules are bounded: the instance fails, the engine goes on. */
class RuleLimitsTest {

    private static EmiraxTestKit kit(String action) {
        return EmiraxTestKit.fromSource("limits.groovy", """
                workflow('limits') {
                    rule('greedy') {
                        match { !state.done }
                        action { %s; state.done = true }
                    }
                }
                """.formatted(action)).timeLimit(Duration.ofMillis(300));
    }

    @Test
    void aCatastrophicRegexStopsAtTheRuleTimeLimit() {
        try (var kit = kit("state.m = ('a' * 40) ==~ /(.*a){20}b/")) {
            long start = System.nanoTime();
            WorkflowRun run = kit.start("limits", "k", Map.of());
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(run.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(run.failure()).contains("ran over its time limit of 300 ms");
            assertThat(tookMs).as("stopped near its limit, not after 2^40 steps").isLessThan(30_000);
        }
    }

    /** Every way rule code reaches a regular expression runs it over guarded text, not only {@code ==~}. */
    @ParameterizedTest(name = "{0}")
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @CsvSource(delimiter = '|', value = {
            "switch ('a' * 40) { case ~/(.*a){20}b/: state.m = 1; break; default: state.m = 2 }        | ran over its time limit of 300 ms",
            "state.m = ('a' * 40) in ~/(.*a){20}b/                                                     | ran over its time limit of 300 ms",
            "state.m = (~/(.*a){20}b/).isCase('a' * 40)                                                | ran over its time limit of 300 ms",
            "state.m = ['a' * 40].grep(~/(.*a){20}b/)                                                  | ran over its time limit of 300 ms",
            "state.m = ('a' * 40).find(~/(.*a){20}b/)                                                  | may not call 'find'",
            "state.m = ('a' * 40).find(/(.*a){20}b/)                                                   | may not call 'find'",
            "state.m = ('a' * 40).findAll(/(.*a){20}b/)                                                | may not call 'findAll'",
            "state.m = ('a' * 40).replaceAll(/(.*a){20}b/) { it }                                      | takes a pattern and a replacement string",
            "state.m = (~/(.*a){20}b/).matcher('a' * 40).matches()                                     | may not call 'matcher'",
            "state.m = (('a' * 40) =~ /(.*a){20}b/).find()                                             | ran over its time limit of 300 ms",
            "state.m = ('a' * 40).tokenize('b').findAll { it ==~ /(.*a){20}b/ }                        | ran over its time limit of 300 ms",
            "state.m = ('a' * 40) - ~/(.*a){20}b/                                                      | rules may use a pattern only",
    })
    void everyRegexStopsAtTheRuleTimeLimitOrIsRefused(String action, String message) {
        assertFailsItsInstance(action, message);
    }

    /** The guarded tests keep Groovy's meaning: a label matches what it matched before, patterns included. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "switch ('abc') { case ~/a.c/: state.m = 'regex'; break; default: state.m = 'none' }        | regex",
            "switch ('abd') { case ~/a.c/: state.m = 'regex'; break; case ['abd']: state.m = 'list' }  | list",
            "switch (5) { case 1..3: state.m = 'low'; break; case { it > 4 }: state.m = 'closure' }    | closure",
            "switch ('x') { case 'y': state.m = 'y'; break; case 'x': state.m = 'x' }                  | x",
            "switch (null) { case ~/a/: state.m = 'regex'; break; case null: state.m = 'null' }        | null",
            "state.m = ('abc' in ~/a.c/) ? 'in' : 'out'                                                | in",
            "state.m = ('abcd' in ~/a.c/) ? 'in' : 'out'                                               | out",
            "state.m = ['abc', 'xyz', 'axc'].grep(~/a.c/).join(',')                                    | abc,axc",
            "state.m = (~/a.c/).isCase('abc') ? 'case' : 'not'                                         | case",
    })
    void guardedTestsKeepGroovysMeaning(String action, String expected) {
        try (var kit = kit(action)) {
            WorkflowRun run = kit.start("limits", "k", Map.of());

            assertThat(run.failure()).isNull();
            assertThat(run.state()).containsEntry("m", expected).containsEntry("done", true);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "state.s = 'a' * 1e9                                   | multiplying a string",
            "state.l = [0] * 1e9                                   | multiplying a list",
            "state.r = (1..1e9).toList()                           | a range",
            "state.p = 'x'.padLeft(1e9 as int)                     | padLeft",
            "def l = []; l[2e9 as int] = 1                         | an index",
            "state.b = 10G ** 100000000                             | with an exponent",
            "def s = 'x'; while (true) { s = s + s + 'y' }         | allocated more than",
            "def l = []; while (true) { l << 'x' * 1000 }          | allocated more than",
    })
    void aRuleAllocatingBeyondItsLimitsFailsItsInstanceWithAClearError(String action, String message) {
        assertFailsItsInstanceAndTheEngineGoesOn(action, message, "done");
    }

    /**
     * A match's answer is made a boolean by Groovy's truth, which runs rule code for some values (a lazy GString's
     * closure): that runs inside the match, on its memory budget, not after it where only the time limit holds.
     */
    @Test
    void aMatchWhoseTruthAllocatesBeyondTheBudgetFailsItsInstance() {
        try (var kit = EmiraxTestKit.fromSource("truth.groovy", """
                workflow('limits') {
                    rule('truth') {
                        match { "${-> def l = []; while (true) { l << 'x' * 1000; l.clear() } }" }
                        action { state.done = true }
                    }
                }
                """).timeLimit(Duration.ofSeconds(30))) {
            WorkflowRun run = kit.start("limits", "k", Map.of());

            assertThat(run.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(run.failure()).startsWith("rule 'truth' match").contains("allocated more than");
            assertThat(run.state()).doesNotContainKey("done");
        }
    }

    /**
     * Groovy steps through a range of anything but numbers one value at a time, inside its own code where the time
     * limit's interrupt is never looked at ({@code contains}, {@code size}): such ranges fail their instance at once
     * (there is no {@code next()} for dates in the sandbox, and strings must differ in their last character only).
     */
    @ParameterizedTest(name = "{0}")
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @CsvSource(delimiter = '|', value = {
            "def r = java.time.LocalDate.of(1, 1, 1)..java.time.LocalDate.of(999999999, 12, 31); state.m = r.contains(java.time.LocalDate.of(-5, 1, 1))  | LocalDate.next()",
            "def r = java.time.LocalDate.of(1, 1, 1)..java.time.LocalDate.of(999999999, 12, 31); state.m = r.size()  | LocalDate.next()",
            "state.m = java.time.LocalDate.of(-5, 1, 1) in (java.time.LocalDate.of(1, 1, 1)..java.time.LocalDate.of(999999999, 12, 31))  | LocalDate.next()",
            "state.m = ('aaaaaa'..'zzzzzz').size()  | Incompatible Strings for Range",
    })
    void aRangeGroovyWouldStepThroughWithoutLimitFailsAtOnce(String action, String message) {
        assertFailsItsInstance(action, message);
    }

    /**
     * A value nested deeper than anything a workflow needs, built cheaply (each level one small list or map): stored
     * as it is, every later copy, save and read of the instance would recurse once per level.
     */
    @ParameterizedTest(name = "{0}")
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @CsvSource(delimiter = '|', value = {
            "def x = []; 200000.times { x = [x] }; state.deep = x              | nested deeper than",
            "def x = [:]; 200000.times { x = [a: x] }; state.deep = x          | nested deeper than",
            "def x = []; 200000.times { x = [x] }; call('f', [v: x])           | nested deeper than",
    })
    void aValueNestedTooDeeplyFailsItsInstanceAndTheEngineGoesOn(String action, String message) {
        assertFailsItsInstanceAndTheEngineGoesOn(action, message, "deep");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "state.m = ('a'..'e').join('')           | abcde",
            "state.m = ('a'..<'e').join('')          | abcd",
            "state.m = (1..4).join('')               | 1234",
            "state.m = (0.5..2.5).join(',')          | 0.5,1.5,2.5",
            "state.m = (3L..5L).join(',')            | 3,4,5",
    })
    void rangesOfNumbersAndCharactersKeepWorking(String action, String expected) {
        try (var kit = kit(action)) {
            WorkflowRun run = kit.start("limits", "k", Map.of());

            assertThat(run.failure()).isNull();
            assertThat(run.state()).containsEntry("m", expected);
        }
    }

    /** The instance fails naming the limit, without {@code notKept} in its state, and the next one still runs. */
    private static void assertFailsItsInstanceAndTheEngineGoesOn(String action, String message, String notKept) {
        try (var kit = kit(action).timeLimit(Duration.ofSeconds(30))) {
            WorkflowRun run = kit.start("limits", "k", Map.of());

            assertThat(run.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(run.failure()).contains(message);
            assertThat(run.state()).doesNotContainKey(notKept);

            WorkflowRun next = kit.start("limits", "other", Map.of());
            assertThat(next.status()).as("the engine goes on").isEqualTo(InstanceStatus.FAILED);
        }
    }

    private static void assertFailsItsInstance(String action, String message) {
        try (var kit = kit(action)) {
            WorkflowRun run = kit.start("limits", "k", Map.of());

            assertThat(run.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(run.failure()).contains(message);
            assertThat(run.state()).doesNotContainKey("done");
        }
    }
}
