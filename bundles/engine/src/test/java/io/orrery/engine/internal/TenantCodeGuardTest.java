package io.orrery.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.engine.EngineStoppedException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The time limit of tenant code counts the CPU a section uses, so that a section a busy machine did not run (a long
 * GC pause, more runnable threads than cores) is not failed for it, while a section off the CPU for ten times its
 * limit is stopped all the same. The sections here check for interrupts as compiled Emirax code does.
 */
class TenantCodeGuardTest {

    private final TenantCodeGuard guard = new TenantCodeGuard();

    @AfterEach
    void close() {
        guard.close();
    }

    @Test
    void aSectionThatKeepsTheCpuBusyIsStoppedAtItsLimit() {
        long began = System.nanoTime();
        assertThatThrownBy(() -> guard.run("spin", "match", Duration.ofMillis(100), () -> {
            long n = 0;
            while (true) {
                n += interruptCheck();
            }
        })).isInstanceOf(TimeLimitExceeded.class)
                .hasMessage("rule 'spin' match ran over its time limit of 100 ms and was stopped");
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aSectionOffTheCpuForLongerThanItsLimitIsNotStopped() throws Exception {
        String result = guard.run("descheduled", "reaction", Duration.ofMillis(100), () -> {
            offTheCpuFor(Duration.ofMillis(400)); // four times its limit, without using the CPU
            return "finished";
        });
        assertThat(result).isEqualTo("finished");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aSectionOffTheCpuForTenTimesItsLimitIsStopped() {
        long began = System.nanoTime();
        assertThatThrownBy(() -> guard.run("blocked", "action", Duration.ofMillis(50), () -> {
            offTheCpuFor(Duration.ofSeconds(20));
            return null;
        })).isInstanceOf(TimeLimitExceeded.class);
        assertThat(Duration.ofNanos(System.nanoTime() - began))
                .isGreaterThanOrEqualTo(Duration.ofMillis(500)).isLessThan(Duration.ofSeconds(10));
    }

    /**
     * The lanes stopping interrupt a running section's thread ({@code shutdownNow}), not the watchdog: no overrun, so
     * the section fails as an engine stop (its event not saved, not the tenant's fault), and the lane thread keeps its
     * interrupt to stop by.
     */
    @Test
    void aSectionInterruptedByTheLanesStoppingFailsAsAnEngineStopNotAnOverrun() throws Exception {
        ExecutorService lane = Executors.newSingleThreadExecutor();
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean keptItsInterrupt = new AtomicBoolean();
        Future<Object> section = lane.submit(() -> {
            try {
                return guard.run("stopped", "action", Duration.ofSeconds(30), () -> {
                    running.countDown();
                    busyFor(Duration.ofSeconds(30));
                    return null;
                });
            } finally {
                keptItsInterrupt.set(Thread.currentThread().isInterrupted());
            }
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        lane.shutdownNow();

        assertThatThrownBy(() -> section.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(EngineStoppedException.class)
                .cause().hasMessage("rule 'stopped' action was interrupted: the engine stopped; the event was not saved");
        assertThat(keptItsInterrupt).isTrue();
    }

    @Test
    void theNextSectionOnTheThreadStartsWithAFreshLimit() throws Exception {
        for (int i = 0; i < 5; i++) {
            int round = i;
            assertThat(guard.run("short", "match", Duration.ofMillis(100), () -> {
                busyFor(Duration.ofMillis(60)); // five of them add up to three times the limit
                return round;
            })).isEqualTo(i);
        }
    }

    /** Parks until the time has passed, throwing as compiled tenant code does when interrupted. */
    private static void offTheCpuFor(Duration d) throws InterruptedException {
        long until = System.nanoTime() + d.toNanos();
        for (long left = d.toNanos(); left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
            interruptCheck();
        }
    }

    private static void busyFor(Duration d) throws InterruptedException {
        long until = System.nanoTime() + d.toNanos();
        while (until - System.nanoTime() > 0) {
            interruptCheck();
        }
    }

    private static int interruptCheck() throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
        }
        return 1;
    }
}
