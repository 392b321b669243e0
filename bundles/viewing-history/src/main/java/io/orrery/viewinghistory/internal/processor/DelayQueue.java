package io.orrery.viewinghistory.internal.processor;

import io.orrery.api.queue.Claim;
import io.orrery.api.queue.ClaimRequest;
import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueMessage;
import io.orrery.api.queue.QueueService;
import io.orrery.api.queue.QueueStats;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where events whose processing failed wait, so they never hold up the events behind them: the tenant's queue
 * {@code viewing-history.retry} with not-before delays doubling per attempt; after the last attempt the queue
 * dead-letters the event with its error ({@code orrery:dlq-replay playback/viewing-history.retry} brings it back).
 *
 * <p>With {@code maxAttempts} 1 the first attempt was the only one: the event is enqueued with its attempts already
 * spent, and the retry loop moves it to the dead letters unprocessed. (The queue has no way to enqueue a dead
 * letter; a replayed one has its attempts reset, so it is processed once more, as the operator asked.)
 */
public final class DelayQueue {

    private static final Logger LOG = LoggerFactory.getLogger(DelayQueue.class);

    /** Processes one failed event's raw record again; throws when it fails again. */
    @FunctionalInterface
    public interface Retry {
        void process(byte[] record) throws Exception;
    }

    private final QueueService queues;
    private final QueueId queue;
    private final ProcessorSettings settings;
    private final Clock clock;
    private final LongAdder retried = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private static final int MAX_UNRETRIED_ERRORS = 10_000;
    /**
     * The errors of events deferred here with no retry left, until the retry loop dead-letters them with it. Another
     * node's loop may claim one first (and records a generic reason), and its entry here is never taken: past the
     * bound the oldest go, so those never crowd out the newest.
     */
    private final Map<String, String> unretriedErrors = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > MAX_UNRETRIED_ERRORS;
                }
            });

    public DelayQueue(QueueService queues, ProcessorSettings settings, Clock clock) {
        this(queues, settings, clock, ProcessorSettings.RETRY_QUEUE);
    }

    /** A delay queue of its own name (shadow mode keeps the request path's retries apart from the Kafka path's). */
    public DelayQueue(QueueService queues, ProcessorSettings settings, Clock clock, String name) {
        this.queues = queues;
        this.queue = new QueueId(settings.tenant(), name);
        this.settings = settings;
        this.clock = clock;
    }

    public QueueId queue() {
        return queue;
    }

    /**
     * Sets an event aside for its first retry, as {@code <eventId>@<digest of the record>}: the queue refuses an id it
     * holds (or finished within its idempotency window), so a redelivered failure enqueues once, while another event
     * that happens to carry the same client-given id (a client bug, a replayed id) is kept, not refused as its
     * duplicate.
     */
    public void defer(String eventId, byte[] record, Exception error) {
        String id = eventId + "@" + digest(record);
        if (settings.maxAttempts() <= 1) {
            setAsideDead(id, record, error);
            return;
        }
        queues.enqueue(QueueMessage.builder(queue).id(id).payload(record).maxAttempts(Math.max(1, settings.maxAttempts() - 1))
                .notBefore(clock.instant().plus(settings.backoff(1))).build());
        LOG.info("Playback event {} of tenant {} deferred for retry: {}", id, settings.tenant(), error.toString());
    }

    /** The event's only attempt failed: enqueued spent (claimed once already), for the retry loop to dead-letter. */
    private void setAsideDead(String id, byte[] record, Exception error) {
        unretriedErrors.put(id, reason(error));
        queues.enqueue(QueueMessage.builder(queue).id(id).payload(record).attempts(1).maxAttempts(1).build());
        LOG.warn("Playback event {} of tenant {} dead-lettered after its only attempt: {}", id, settings.tenant(),
                error.toString());
    }

    /**
     * Claims due events and processes them again: ack, or back with a longer delay (dead after the last). One
     * claimed with its attempts already spent goes to the dead letters unprocessed.
     */
    public int retryDue(Retry retry, int max, Duration wait) throws InterruptedException {
        List<Claim> claims = queues.claim(ClaimRequest.of(queue).max(max).waitUpTo(wait));
        for (Claim claim : claims) {
            if (setAsideDead(claim.message())) {
                String reason = unretriedErrors.remove(claim.messageId());
                if (queues.reject(claim, reason == null ? "its only processing attempt failed" : reason)) {
                    deadLettered.increment();
                }
                continue;
            }
            try {
                retry.process(claim.message().payload());
                queues.ack(claim);
                retried.increment();
            } catch (Exception e) {
                String reason = reason(e);
                int attempt = claim.message().attempts() + 1;
                boolean last = claim.message().attempts() >= claim.message().maxAttempts();
                queues.nack(claim, settings.backoff(attempt), reason);
                if (last) {
                    deadLettered.increment();
                    LOG.warn("Playback event {} of tenant {} dead-lettered after {} attempts: {}",
                            claim.messageId(), settings.tenant(), attempt, reason);
                }
            }
        }
        return claims.size();
    }

    /**
     * Set aside with no retry left ({@link #setAsideDead}, only when the settings allow one attempt): enqueued with
     * its only attempt spent, claimed again. A retry claimed past its last (its lease lost in a full restart) is
     * processed once more, as every queue's consumer does, not dead-lettered as if it had never run.
     */
    private boolean setAsideDead(QueueMessage message) {
        return settings.maxAttempts() <= 1 && message.attempts() > message.maxAttempts();
    }

    /** The record's SHA-256, its first 8 bytes in hex: apart for different records, alike for redeliveries. */
    static String digest(byte[] record) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(record), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    public Map<String, Long> counters() {
        QueueStats stats = queues.stats(queue);
        return Map.of("retried", retried.sum(), "deadLettered", deadLettered.sum(), "waiting",
                stats.count(MessageState.PENDING) + stats.count(MessageState.DELAYED), "dead", stats.dead());
    }
}
