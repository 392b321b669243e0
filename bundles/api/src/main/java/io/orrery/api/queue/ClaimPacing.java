package io.orrery.api.queue;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The pause a busy consumer makes before claiming again after a claim that found only part of a batch, so that its
 * next claim finds a batch. Without it a consumer quicker than its producers claims every message alone, the moment
 * it arrives, and each claim, with the acknowledgement and the results that follow it, is an operation on a shard's
 * partition thread and a wake-up of two threads: on a small machine these cost more than the work. Kafka's
 * consumers wait the same way ({@code fetch.min.bytes}, {@code fetch.max.wait.ms}). Only a consumer under load
 * waits: a claim after an empty or a full one goes at once.
 */
public final class ClaimPacing {

    public static final ClaimPacing NONE = new ClaimPacing(Duration.ZERO);

    private final long lingerNanos;
    /** Per consumer thread: when its last claim came back partial, or {@code null}. */
    private final ThreadLocal<Long> partialAt = new ThreadLocal<>();

    public ClaimPacing(Duration linger) {
        this.lingerNanos = Math.max(0, linger.toNanos());
    }

    /** Before a claim: waits out the rest of the pause if this thread's last claim was partial. */
    public void beforeClaim() throws InterruptedException {
        Long at = partialAt.get();
        if (at == null) {
            return;
        }
        partialAt.remove();
        for (long left; (left = at + lingerNanos - System.nanoTime()) > 0; ) { // a park may end early
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** After a claim that returned {@code got} of the {@code most} asked for. */
    public void claimed(int got, int most) {
        if (lingerNanos > 0 && got > 0 && got < most) {
            partialAt.set(System.nanoTime());
        }
    }
}
