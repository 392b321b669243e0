package io.orrery.engine.internal;

import io.orrery.api.engine.EngineStoppedException;
import io.orrery.api.engine.InstanceId;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
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
            try {
                lanes[Math.floorMod(id.hashCode(), lanes.length)].execute(task);
            } catch (RejectedExecutionException closed) {
                throw new EngineStoppedException(id + ": the engine stopped; the event was not run");
            }
        }
    }

    /**
     * Runs the task on the instance's lane; the future fails if it throws, or if the lanes close before it began
     * (nothing else would ever complete it).
     */
    public <T> CompletableFuture<T> submit(InstanceId id, Supplier<T> task) {
        var future = new CompletableFuture<T>();
        execute(id, abandonable(() -> {
            try {
                future.complete(task.get());
            } catch (RuntimeException | Error e) {
                future.completeExceptionally(e);
            }
        }, () -> future.completeExceptionally(new EngineStoppedException(
                id + ": the engine stopped before the event ran; it was not run"))));
        return future;
    }

    /**
     * A task that, if the lanes close before it began, runs {@code abandoned} instead (on the closing thread): for
     * tasks someone waits on. A task sent after the lanes closed is refused at once by {@link #execute}
     * ({@link EngineStoppedException}).
     */
    public static Runnable abandonable(Runnable task, Runnable abandoned) {
        return new Abandonable(task, abandoned);
    }

    private record Abandonable(Runnable task, Runnable abandoned) implements Runnable {
        @Override
        public void run() {
            task.run();
        }
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

    /** Stops the lanes: interrupts the tasks running, and tells those still queued that wait to be told. */
    @Override
    public void close() {
        for (ExecutorService lane : lanes) {
            for (Runnable never : lane.shutdownNow()) {
                if (never instanceof Abandonable a) {
                    try {
                        a.abandoned().run();
                    } catch (RuntimeException e) {
                        LOG.warn("engine event abandoned at stop", e);
                    }
                }
            }
        }
    }
}
