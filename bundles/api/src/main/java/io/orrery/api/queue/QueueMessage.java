package io.orrery.api.queue;

import io.orrery.api.trace.TraceContext;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One message in a queue. Build one with {@link #builder(QueueId)} or {@link #of(QueueId, byte[])}.
 *
 * @param id           unique within its queue; enqueue is idempotent on it (a random UUID unless given)
 * @param tenant       the owning tenant
 * @param queue        the queue's name within the tenant
 * @param priority     0..9, 9 most urgent; default {@value #DEFAULT_PRIORITY}
 * @param deadline     optional; within a priority, earlier deadlines are claimed first, messages without one last
 * @param notBefore    optional; the message is DELAYED and not claimable until then
 * @param exclusiveKey optional; at most one message per key value of a queue is leased at a time
 * @param attempts     how many times the message has been claimed (1 in the first claim a consumer sees)
 * @param maxAttempts  0 for the queue's setting, else the attempts after which a failing message goes dead
 * @param trace        trace context, carried to the consumer
 * @param payload      the body: bytes, JSON by convention
 */
public record QueueMessage(String id, String tenant, String queue, int priority, Instant deadline,
                           Instant notBefore, String exclusiveKey, int attempts, int maxAttempts,
                           TraceContext trace, byte[] payload) {

    public static final int MIN_PRIORITY = 0;
    public static final int MAX_PRIORITY = 9;
    public static final int DEFAULT_PRIORITY = 5;

    public QueueMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(queue, "queue");
        if (!QueueId.isName(tenant) || !QueueId.isName(queue)) {
            QueueId.of(tenant, queue); // throws with the offending name
        }
        if (id.isEmpty() || id.length() > 200) {
            throw new IllegalArgumentException("id: must be 1..200 characters");
        }
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority: must be 0..9, got " + priority);
        }
        if (attempts < 0 || maxAttempts < 0) {
            throw new IllegalArgumentException("attempts: must not be negative");
        }
    }

    /** A message with default priority, a random id and a new trace. */
    public static QueueMessage of(QueueId queue, byte[] payload) {
        return builder(queue).payload(payload).build();
    }

    public static Builder builder(QueueId queue) {
        return new Builder(queue);
    }

    public QueueId queueId() {
        return QueueId.of(tenant, queue);
    }

    /** A builder holding this message's values, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder(queueId()).id(id).priority(priority).deadline(deadline).notBefore(notBefore)
                .exclusiveKey(exclusiveKey).attempts(attempts).maxAttempts(maxAttempts).trace(trace)
                .payload(payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueueMessage m && id.equals(m.id) && tenant.equals(m.tenant) && queue.equals(m.queue)
                && priority == m.priority && Objects.equals(deadline, m.deadline)
                && Objects.equals(notBefore, m.notBefore) && Objects.equals(exclusiveKey, m.exclusiveKey)
                && attempts == m.attempts && maxAttempts == m.maxAttempts && trace.equals(m.trace)
                && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, tenant, queue, priority, attempts);
    }

    @Override
    public String toString() {
        return "QueueMessage[" + tenant + "/" + queue + " id=" + id + " priority=" + priority
                + (deadline == null ? "" : " deadline=" + deadline)
                + (notBefore == null ? "" : " notBefore=" + notBefore)
                + (exclusiveKey == null ? "" : " exclusiveKey=" + exclusiveKey)
                + " attempts=" + attempts + " trace=" + trace.traceId() + " payload=" + payload.length + "B]";
    }

    /**
     * A random (version 4) UUID from {@link ThreadLocalRandom}: ids must be unique, not unpredictable, and
     * {@link UUID#randomUUID()} takes a lock on a shared {@code SecureRandom} for every message.
     */
    static String randomId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long high = (r.nextLong() & ~0xF000L) | 0x4000L;
        long low = (r.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }

    public static final class Builder {
        private final QueueId queue;
        private String id;
        private int priority = DEFAULT_PRIORITY;
        private Instant deadline;
        private Instant notBefore;
        private String exclusiveKey;
        private int attempts;
        private int maxAttempts;
        private TraceContext trace;
        private byte[] payload = new byte[0];

        private Builder(QueueId queue) {
            this.queue = Objects.requireNonNull(queue, "queue");
            if (queue.isAnyTenant()) {
                throw new IllegalArgumentException("tenant: a message needs a concrete tenant, not '*'");
            }
        }

        public Builder id(String id) { this.id = id; return this; }
        public Builder priority(int priority) { this.priority = priority; return this; }
        public Builder deadline(Instant deadline) { this.deadline = deadline; return this; }
        public Builder notBefore(Instant notBefore) { this.notBefore = notBefore; return this; }
        public Builder exclusiveKey(String exclusiveKey) { this.exclusiveKey = exclusiveKey; return this; }
        public Builder attempts(int attempts) { this.attempts = attempts; return this; }
        public Builder maxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; return this; }
        public Builder trace(TraceContext trace) { this.trace = trace; return this; }
        public Builder payload(byte[] payload) { this.payload = payload; return this; }

        public QueueMessage build() {
            return new QueueMessage(id == null ? randomId() : id, queue.tenant(), queue.name(),
                    priority, deadline, notBefore, exclusiveKey, attempts, maxAttempts,
                    trace == null ? TraceContext.newTrace() : trace, payload);
        }
    }
}
