package io.orrery.engine.internal.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waiting for the partitions to settle after a member left: until their migrations finish, a survivor may read a
 * partition whose data has not arrived yet. Used by those that act on a member's loss.
 */
final class SafePartitions {

    private SafePartitions() {
    }

    /** Waits until the cluster is safe (every partition's backups in place), at most {@code limit}. */
    static void await(HazelcastInstance hz, Duration limit) {
        long until = System.nanoTime() + limit.toNanos();
        while (!hz.getPartitionService().isClusterSafe() && System.nanoTime() < until) {
            try {
                TimeUnit.MILLISECONDS.sleep(100); // migrations after a loss take a moment; nothing to wake us
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
