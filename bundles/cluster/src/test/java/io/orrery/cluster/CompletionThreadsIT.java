package io.orrery.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.orrery.cluster.testing.LoopbackMembers;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import com.hazelcast.internal.util.ConcurrencyUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The callbacks of a member's futures run on a bounded set of threads. Without care, on a JVM whose common pool has a
 * parallelism of 1 (one or two cores, like the machines CI runs on) Hazelcast starts a new thread for each one.
 */
class CompletionThreadsIT {

    private HazelcastInstance member;

    @AfterEach
    void shutDown() {
        if (member != null) {
            member.shutdown();
        }
    }

    @Test
    void futureCallbacksRunOnABoundedSetOfThreads() {
        member = new LoopbackMembers("orrery-it", 1).start(0);
        IMap<String, Integer> map = member.getMap("counted");
        Set<Thread> callbackThreads = ConcurrentHashMap.newKeySet();
        CompletableFuture<?>[] done = new CompletableFuture<?>[2_000];
        for (int i = 0; i < done.length; i++) {
            // Where Hazelcast runs the dependent stages of its futures (submitToKey's, for one).
            done[i] = map.setAsync("k" + (i % 50), i).toCompletableFuture()
                    .whenCompleteAsync((v, e) -> callbackThreads.add(Thread.currentThread()),
                            ConcurrencyUtil.getDefaultAsyncExecutor());
        }
        CompletableFuture.allOf(done).join();

        int bound = Math.max(2, Math.max(Runtime.getRuntime().availableProcessors(),
                ForkJoinPool.getCommonPoolParallelism()));
        assertThat(callbackThreads).as("threads that ran %d callbacks", done.length).hasSizeLessThanOrEqualTo(bound);
    }
}
