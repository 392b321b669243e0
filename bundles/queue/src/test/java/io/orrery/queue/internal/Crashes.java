package io.orrery.queue.internal;

import io.orrery.api.fault.CrashAction;
import io.orrery.api.fault.SimulatedCrash;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Crash actions for armed points. Each fires once: the first thread to reach the point runs it; later ones pass.
 * A member is terminated from a thread of its own (the point may be on a partition thread, which must not wait for
 * its own member's shutdown), and the thread that reached the point throws {@link SimulatedCrash}, so it goes no
 * further, as if its member had died right there.
 */
final class Crashes {

    private Crashes() {
    }

    /** A one-shot action, and a latch the test awaits to know it fired. */
    static final class Shot implements CrashAction {
        private final AtomicBoolean fired = new AtomicBoolean();
        private final CountDownLatch done = new CountDownLatch(1);
        private final CrashAction action;
        private volatile Object scope;

        Shot(CrashAction action) {
            this.action = action;
        }

        @Override
        public void at(String point, Object scope) {
            if (!fired.compareAndSet(false, true)) {
                return;
            }
            this.scope = scope;
            try {
                action.at(point, scope);
            } finally {
                done.countDown();
            }
        }

        boolean awaitFired(long seconds) throws InterruptedException {
            return done.await(seconds, TimeUnit.SECONDS);
        }

        boolean fired() {
            return fired.get();
        }

        /** The scope (member name) it fired in. */
        Object scope() {
            return scope;
        }
    }

    /** Terminates the member whose code reached the point; that thread stops there. */
    static Shot terminateMember(FaultCluster cluster, IntConsumer killed) {
        return new Shot((point, scope) -> {
            int i = cluster.indexOf(scope);
            if (i >= 0) {
                Thread t = new Thread(() -> {
                    cluster.member(i).getLifecycleService().terminate();
                    killed.accept(i);
                }, "crash-" + point);
                t.start();
            }
            throw new SimulatedCrash(point);
        });
    }

    /** Terminates every member at once: the whole cluster dies with the thread at the point. */
    static Shot killCluster(FaultCluster cluster) {
        return new Shot((point, scope) -> {
            for (int i = 0; i < cluster.size(); i++) {
                if (cluster.alive(i)) {
                    int m = i;
                    new Thread(() -> cluster.member(m).getLifecycleService().terminate(), "crash-" + point).start();
                }
            }
            throw new SimulatedCrash(point);
        });
    }

    /** The thread that reached the point dies there (a consumer or writer thread crashing, its member alive). */
    static Shot threadDies() {
        return new Shot((point, scope) -> {
            throw new SimulatedCrash(point);
        });
    }

    /** Runs {@code r} at the point, on the thread that reached it, which then goes on: opens a race on purpose. */
    static Shot run(Runnable r) {
        return new Shot((point, scope) -> r.run());
    }
}
