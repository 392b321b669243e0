package io.orrery.functions.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.functions.protocol.HostExit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LimitWatchTest {

    private static final LimitWatch.Breach NONE = null;

    @Test
    void aThreadPastTheLimitIsABreachNamingTheThreadLimit() throws Exception {
        int now = java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount();
        LimitWatch watch = new LimitWatch(now + 8, 1000, false, b -> { });
        assertThat(watch.check()).isEqualTo(NONE);

        CountDownLatch release = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                Thread t = new Thread(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                t.start();
                started.add(t);
            }
            LimitWatch.Breach breach = watch.check();
            assertThat(breach.status()).isEqualTo(HostExit.THREAD_LIMIT);
            assertThat(breach.reason()).contains("thread limit of " + (now + 8));
        } finally {
            release.countDown();
            for (Thread t : started) {
                t.join();
            }
        }
    }

    @Test
    void aProcessPastTheLimitIsABreachNamingTheProcessLimit() throws Exception {
        LimitWatch watch = new LimitWatch(10_000, 0, false, b -> { });
        Process sleeping = new ProcessBuilder("sleep", "60").start();
        try {
            LimitWatch.Breach breach = watch.check();
            assertThat(breach.status()).isEqualTo(HostExit.PROCESS_LIMIT);
            assertThat(breach.reason()).contains("process limit of 0");
        } finally {
            sleeping.destroyForcibly();
            sleeping.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void countsThatKeepFailingEndTheHostAndOneThatSucceedsStartsTheTallyAgain() {
        boolean[] failing = {true};
        LimitWatch watch = new LimitWatch(10_000, 10, () -> {
            if (failing[0]) {
                throw new IllegalStateException("cannot list /proc: Too many open files");
            }
            return 0;
        }, b -> { });
        for (int i = 1; i < LimitWatch.MAX_FAILED_COUNTS; i++) {
            assertThat(watch.tick()).isEqualTo(NONE);
        }
        failing[0] = false;
        assertThat(watch.tick()).isEqualTo(NONE);
        failing[0] = true;
        for (int i = 1; i < LimitWatch.MAX_FAILED_COUNTS; i++) {
            assertThat(watch.tick()).isEqualTo(NONE);
        }
        LimitWatch.Breach breach = watch.tick();
        assertThat(breach.reason()).contains("could not be counted").contains("Too many open files");
        // the status says so too, for when the message with the reason does not reach the node
        assertThat(breach.status()).isEqualTo(HostExit.UNCOUNTED);
        assertThat(HostExit.describe(breach.status())).isEqualTo("its threads and processes could not be counted");
    }
}
