package io.orrery.emirax.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.engine.InstanceStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

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
        try (var kit = kit(action).timeLimit(Duration.ofSeconds(30))) {
            WorkflowRun run = kit.start("limits", "k", Map.of());

            assertThat(run.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(run.failure()).contains(message);
            assertThat(run.state()).doesNotContainKey("done");

            WorkflowRun next = kit.start("limits", "other", Map.of());
            assertThat(next.status()).as("the engine goes on").isEqualTo(InstanceStatus.FAILED);
        }
    }
}
