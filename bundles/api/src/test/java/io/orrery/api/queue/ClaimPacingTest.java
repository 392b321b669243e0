package io.orrery.api.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A consumer pauses before its next claim only after a partial one; an empty or a full claim is followed at once. */
class ClaimPacingTest {

    private static final Duration LINGER = Duration.ofMillis(300);

    private static long nanosOfNextClaim(ClaimPacing pacing) throws InterruptedException {
        long t0 = System.nanoTime();
        pacing.beforeClaim();
        return System.nanoTime() - t0;
    }

    @Test
    void afterAPartialClaimTheNextWaitsTheLinger() throws Exception {
        ClaimPacing pacing = new ClaimPacing(LINGER);
        pacing.claimed(3, 64);
        assertThat(nanosOfNextClaim(pacing)).isGreaterThanOrEqualTo(LINGER.toNanos());
        assertThat(nanosOfNextClaim(pacing)).as("once").isLessThan(LINGER.toNanos());
    }

    @Test
    void afterAnEmptyOrAFullClaimTheNextGoesAtOnce() throws Exception {
        ClaimPacing pacing = new ClaimPacing(LINGER);
        pacing.claimed(0, 64);
        assertThat(nanosOfNextClaim(pacing)).isLessThan(LINGER.toNanos());
        pacing.claimed(64, 64);
        assertThat(nanosOfNextClaim(pacing)).isLessThan(LINGER.toNanos());
    }

    @Test
    void eachConsumerThreadIsPacedByItsOwnClaims() throws Exception {
        ClaimPacing pacing = new ClaimPacing(LINGER);
        long partialAt = System.nanoTime();
        pacing.claimed(1, 64);
        long[] other = new long[1];
        Thread t = new Thread(() -> {
            try {
                other[0] = nanosOfNextClaim(pacing);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        t.join();
        assertThat(other[0]).isLessThan(LINGER.toNanos());
        pacing.beforeClaim();
        assertThat(System.nanoTime() - partialAt).as("this thread waited from its partial claim on")
                .isGreaterThanOrEqualTo(LINGER.toNanos());
    }

    @Test
    void noLingerNeverWaits() throws Exception {
        ClaimPacing pacing = ClaimPacing.NONE;
        pacing.claimed(1, 64);
        assertThat(nanosOfNextClaim(pacing)).isLessThan(LINGER.toNanos());
    }
}
