package io.orrery.engine.internal.extender;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One queue of work per tenant, run in order, tenants side by side: a tenant whose deploy re-evaluates many
 * instances delays its own next event, never another tenant's.
 */
final class TenantLanes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TenantLanes.class);

    private final ExecutorService threads;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    TenantLanes() {
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "orrery-tenant-bundles-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs the work after the tenant's earlier work; failures are logged, never lost silently. */
    void execute(String tenant, Runnable work) {
        lanes.computeIfAbsent(tenant, t -> new Lane()).add(work);
    }

    /** Lets queued work finish, up to the timeout, then stops. */
    @Override
    public void close() {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("tenant bundle work did not finish within 60 s");
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            threads.shutdownNow();
        }
    }

    private final class Lane {

        private final Deque<Runnable> queue = new ArrayDeque<>();
        private boolean running;

        synchronized void add(Runnable work) {
            queue.addLast(work);
            if (!running) {
                try {
                    threads.execute(this::drain);
                    running = true;
                } catch (RejectedExecutionException e) {
                    queue.clear();
                    LOG.debug("tenant bundle event after the extender stopped");
                }
            }
        }

        private void drain() {
            while (true) {
                Runnable work;
                synchronized (this) {
                    work = queue.pollFirst();
                    if (work == null) {
                        running = false;
                        return;
                    }
                }
                try {
                    work.run();
                } catch (RuntimeException | LinkageError e) {
                    LOG.error("tenant bundle extender", e);
                }
            }
        }
    }
}
