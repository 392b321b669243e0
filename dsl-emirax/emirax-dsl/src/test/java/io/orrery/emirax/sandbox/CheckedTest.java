package io.orrery.emirax.sandbox;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.emirax.internal.sandbox.RuleBudget;
import org.junit.jupiter.api.Test;

/** How compiled rule code is stopped: at its checkpoints and in its catch blocks. */
class CheckedTest {

    /**
     * A section past its limit stays stopped, as an interrupted thread stays interrupted: a rule that got rid of the
     * first refusal (a finally block throwing something else, caught further out) meets it again at its next
     * checkpoint or catch block, instead of running on. A deploy's model build has only this limit; no one
     * interrupts it.
     */
    @Test
    void aSectionPastItsTimeLimitStaysStopped() throws Exception {
        long begun = System.nanoTime();
        RuleBudget.beginTimed(1);
        try {
            while (System.nanoTime() - begun < 2_000_000) {  // past the 1 ms limit
                Thread.onSpinWait();
            }
            assertThatThrownBy(() -> {
                for (int i = 0; i < 256; i++) {
                    Checked.checkpoint();
                }
            }).isInstanceOf(SandboxException.class).hasMessageContaining("time limit");

            assertThatThrownBy(Checked::checkpoint).isInstanceOf(SandboxException.class)
                    .hasMessageContaining("time limit");
            assertThatThrownBy(() -> Checked.rethrowIfStopped(new IllegalStateException("in its place")))
                    .isInstanceOf(SandboxException.class).hasMessageContaining("time limit");
        } finally {
            RuleBudget.end();
        }

        RuleBudget.begin();
        try {
            assertThatCode(() -> {
                Checked.checkpoint();
                Checked.rethrowIfStopped(new IllegalStateException());
            }).as("the next section starts afresh").doesNotThrowAnyException();
        } finally {
            RuleBudget.end();
        }
    }
}
