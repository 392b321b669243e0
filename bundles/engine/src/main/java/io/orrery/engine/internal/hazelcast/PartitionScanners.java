package io.orrery.engine.internal.hazelcast;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that fetch a scan's partitions in parallel: a few daemon threads, idle ones ending after a while. Not
 * the common fork-join pool: where its parallelism is 1 (one or two cores) {@code CompletableFuture} would start a
 * thread per partition instead, 271 per scan.
 */
final class PartitionScanners {

    static final Executor SHARED = create(Math.max(2, Runtime.getRuntime().availableProcessors()));

    private PartitionScanners() {
    }

    private static Executor create(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "orrery-engine-scan-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
