package io.orrery.gateway.internal.ingest;

import io.orrery.gateway.internal.http.GatewayMetrics;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that could not be dead-lettered (the dead-letter topic missing, writing to it denied, no leader) must not
 * be committed past: that would lose it. A record too large for the dead-letter topic (near the size limit, with the
 * headers added, or a topic with a lower limit) would fail so for ever and hold up its partition: it is
 * dead-lettered as a reference instead, its headers without its value, and {@value #LEFT_OUT_HEADER} naming its size
 * and where it stays in the requests topic. Any other failure, or a reference refused too: The route's exchange
 * fails instead, and its consumer ({@code breakOnFirstError}) commits up to the record before it and polls the
 * partition again from it, so the record is mapped and dead-lettered anew. Before that it pauses here: a second
 * after the first failure, twice as long after each further one, up to half a minute, so a dead-letter topic that
 * stays unwritable costs a retry and a log line every half-minute, not a busy loop. A record dead-lettered resets
 * the pause.
 */
final class DeadLetterRetry {

    /** On a record dead-lettered without its value: why, its size, and where the whole record is. */
    static final String LEFT_OUT_HEADER = "orrery-value-left-out";
    static final long FIRST_PAUSE_MS = 1_000;
    static final long LONGEST_PAUSE_MS = 30_000;

    private static final Logger LOG = LoggerFactory.getLogger(RequestIngestionRoute.class);

    private final String topic;
    private final String deadLetters;
    private final GatewayMetrics metrics;
    /** Failures in a row; the route has one consumer thread, the count is shared only for a restart's overlap. */
    private final AtomicInteger failures = new AtomicInteger();

    /** {@code deadLetters}: the endpoint the route dead-letters to, for the references. */
    DeadLetterRetry(String topic, String deadLetters, GatewayMetrics metrics) {
        this.topic = topic;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    void deadLettered(Exchange exchange) {
        failures.set(0);
        metrics.ingested("dead-lettered");
        LOG.warn("Request {} dead-lettered: {}", exchange.getIn().getHeader(RequestIngestionRoute.SOURCE_HEADER),
                exchange.getIn().getHeader(RequestIngestionRoute.ERROR_HEADER));
    }

    /**
     * Dead-letters a record too large for the topic as a reference; else logs the failure, pauses, and fails the
     * exchange so that its record is polled again.
     */
    void notDeadLettered(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Object source = exchange.getIn().getHeader(RequestIngestionRoute.SOURCE_HEADER);
        if (tooLarge(cause) && deadLetteredAsReference(exchange, source)) {
            return;
        }
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

    private static boolean tooLarge(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof RecordTooLargeException) {
                return true;
            }
        }
        return false;
    }

    /** Sends the record's headers without its value; whether the topic took it. */
    private boolean deadLetteredAsReference(Exchange exchange, Object source) {
        byte[] value = exchange.getIn().getBody(byte[].class);
        exchange.getIn().setHeader(LEFT_OUT_HEADER, "too large for " + topic + ": " + (value == null ? 0 : value.length)
                + " bytes, still in " + source);
        exchange.getIn().setBody(new byte[0]);
        try (ProducerTemplate template = exchange.getContext().createProducerTemplate()) {
            Exchange sent = template.send(deadLetters, exchange.copy());
            if (sent.getException() != null) {
                exchange.setProperty(Exchange.EXCEPTION_CAUGHT, sent.getException());
                return false;
            }
        } catch (java.io.IOException | RuntimeException e) {
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, e);
            return false;
        }
        deadLettered(exchange);
        return true;
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
