package io.orrery.engine.internal.queue;

import io.orrery.api.queue.Claim;
import io.orrery.api.queue.QueueId;
import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.Tracer;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The queue wait of each claimed message as a span: from its enqueue (or its last nack) to its claim, under the
 * span that enqueued it (the message's trace context). Its name starts with {@value #PREFIX}, which the trace
 * viewer draws as waiting rather than computing. What the message causes nests under the wait.
 */
public final class QueueWaits {

    public static final String PREFIX = "queue wait ";

    /** Records nothing: for nodes without tracing. */
    public static final QueueWaits NONE = new QueueWaits(() -> Tracer.NOOP, Clock.systemUTC());

    private final Supplier<Tracer> tracer;
    private final Clock clock;

    /**
     * @param tracer the node's tracer now ({@link Tracer#NOOP} while it has none)
     * @param clock  the clock the queue stamps enqueue times with (the cluster's)
     */
    public QueueWaits(Supplier<Tracer> tracer, Clock clock) {
        this.tracer = tracer;
        this.clock = clock;
    }

    /** Records the claimed message's wait and answers its context; null when nothing is traced. */
    public TraceContext waited(Claim claim) {
        Tracer t = tracer.get();
        if (t == Tracer.NOOP) {
            return null;
        }
        QueueId queue = claim.queueId();
        return t.record(PREFIX + queue.name(), queue.tenant(), claim.message().trace(), claim.enqueuedAt(),
                clock.instant(), Map.of("orrery.kind", "queue.wait", "orrery.queue", queue.name(),
                        "orrery.attempt", Integer.toString(claim.message().attempts())));
    }
}
