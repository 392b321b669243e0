package io.orrery.gateway.internal.ingest;

import io.orrery.gateway.internal.http.GatewayMetrics;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that could not be dead-lettered (the dead-letter topic missing, writing to it denied, no leader, the
 * record too large with the headers added) must not be committed past: that would lose it. The route's exchange
 * fails instead, and its consumer ({@code breakOnFirstError}) commits up to the record before it and polls the
 * partition again from it, so the record is mapped and dead-lettered anew. Before that it pauses here: a second
 * after the first failure, twice as long after each further one, up to half a minute, so a dead-letter topic that
 * stays unwritable costs a retry and a log line every half-minute, not a busy loop. A record dead-lettered resets
 * the pause.
 */
final class DeadLetterRetry {

    static final long FIRST_PAUSE_MS = 1_000;
    static final long LONGEST_PAUSE_MS = 30_000;

    private static final Logger LOG = LoggerFactory.getLogger(RequestIngestionRoute.class);

    private final String topic;
    private final GatewayMetrics metrics;
    /** Failures in a row; the route has one consumer thread, the count is shared only for a restart's overlap. */
    private final AtomicInteger failures = new AtomicInteger();

    DeadLetterRetry(String topic, GatewayMetrics metrics) {
        this.topic = topic;
        this.metrics = metrics;
    }

    void deadLettered(Exchange exchange) {
        failures.set(0);
        metrics.ingested("dead-lettered");
        LOG.warn("Request {} dead-lettered: {}", exchange.getIn().getHeader(RequestIngestionRoute.SOURCE_HEADER),
                exchange.getIn().getHeader(RequestIngestionRoute.ERROR_HEADER));
    }

    /** Logs the failure, pauses, and fails the exchange so that its record is polled again. */
    void notDeadLettered(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Object source = exchange.getIn().getHeader(RequestIngestionRoute.SOURCE_HEADER);
        int failed = failures.incrementAndGet();
        long pause = pause(failed);
        metrics.ingested("dead-letter-failed");
        LOG.warn("Request {} (topic/partition@offset) could not be dead-lettered to {}: {}. Its offset is not "
                + "committed: the partition is polled again from it in {} ms ({} failure(s) in a row)", source, topic,
                cause, pause, failed);
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping: the record stays uncommitted all the same
        }
        throw new NotDeadLettered(source + " could not be dead-lettered to " + topic + ": " + cause);
    }

    static long pause(int failures) {
        return Math.min(LONGEST_PAUSE_MS, FIRST_PAUSE_MS << Math.min(Math.max(failures, 1) - 1, 5));
    }

    /** Fails the exchange; without a stack trace, as the log line above has said what happened. */
    static final class NotDeadLettered extends RuntimeException {
        NotDeadLettered(String message) {
            super(message, null, false, false);
        }
    }
}
