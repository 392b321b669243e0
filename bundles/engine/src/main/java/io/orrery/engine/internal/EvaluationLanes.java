package io.orrery.engine.internal;

import io.orrery.api.engine.InstanceId;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded executor tenant code runs on: a fixed number of single-threaded lanes, an instance always on the
 * same lane, so events of one instance never race on this node. With zero lanes every event runs on the calling
 * thread, events raised meanwhile queued behind it (the test kit: deterministic, no threads).
 */
public final class EvaluationLanes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluationLanes.class);

    private final ExecutorService[] lanes;
    private final ThreadLocal<ArrayDeque<Runnable>> trampoline = new ThreadLocal<>();

    public EvaluationLanes(int count) {
        lanes = new ExecutorService[count];
        for (int i = 0; i < count; i++) {
            int n = i;
            lanes[i] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "orrery-engine-lane-" + n);
                t.setDaemon(true);
                return t;
            });
        }
    }

    public void execute(InstanceId id, Runnable task) {
        if (lanes.length == 0) {
            runHere(task);
        } else {
            lanes[Math.floorMod(id.hashCode(), lanes.length)].execute(task);
        }
    }

    public <T> CompletableFuture<T> submit(InstanceId id, Supplier<T> task) {
        var future = new CompletableFuture<T>();
        execute(id, () -> {
            try {
                future.complete(task.get());
            } catch (RuntimeException | Error e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }

    private void runHere(Runnable task) {
        ArrayDeque<Runnable> queue = trampoline.get();
        if (queue != null) {
            queue.add(task);
            return;
        }
        queue = new ArrayDeque<>();
        trampoline.set(queue);
        try {
            task.run();
        } finally {
            try {
                drain(queue);
            } finally {
                trampoline.remove();
            }
        }
    }

    /**
     * Runs the events queued meanwhile, each whatever the one before it threw (an Error too), as a lane's executor
     * goes on with its queue: nothing else would run them.
     */
    private static void drain(ArrayDeque<Runnable> queue) {
        for (Runnable next; (next = queue.poll()) != null; ) {
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                LOG.error("engine event failed", e);
            }
        }
    }

    @Override
    public void close() {
        for (ExecutorService lane : lanes) {
            lane.shutdownNow();
        }
    }
}
