package io.orrery.cluster.internal;

import com.hazelcast.internal.util.ConcurrencyUtil;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Hazelcast runs the callbacks of its futures (every {@code submitToKey}, async put or publish that a caller
 * waits on). Hazelcast uses the JVM's common fork-join pool, except where that pool has a parallelism of 1 (any
 * machine with one or two cores): there it starts a new thread for every callback, tens of thousands a second
 * under load, which costs more than the work itself. On such a JVM this installs a small pool of daemon threads
 * instead, once for the JVM (Hazelcast keeps the executor in a static field, as Apache SeaTunnel also sets it);
 * elsewhere it leaves Hazelcast's choice alone.
 */
public final class CompletionThreads {

    private static final Logger LOG = LoggerFactory.getLogger(CompletionThreads.class);
    private static final Object LOCK = new Object();
    private static ExecutorService installed;

    private CompletionThreads() {
    }

    /** Installs the pool if the common pool would not be used; answers the executor Hazelcast uses afterwards. */
    public static Executor ensureBounded() {
        synchronized (LOCK) {
            if (installed == null && ForkJoinPool.getCommonPoolParallelism() <= 1) {
                int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
                installed = pool(threads);
                ConcurrencyUtil.setDefaultAsyncExecutor(installed);
                LOG.info("Hazelcast future callbacks run on {} pooled threads (the common pool has a parallelism of {},"
                        + " where Hazelcast would start a thread per callback)", threads,
                        ForkJoinPool.getCommonPoolParallelism());
            }
            return ConcurrencyUtil.getDefaultAsyncExecutor();
        }
    }

    private static ExecutorService pool(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "orrery-hz-completion-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
