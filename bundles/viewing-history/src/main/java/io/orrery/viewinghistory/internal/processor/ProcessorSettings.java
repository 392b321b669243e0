package io.orrery.viewinghistory.internal.processor;

import java.time.Duration;

/**
 * How the processor sessionizes and retries.
 *
 * @param tenant         the viewing-history tenant (owns the retry queue and the REST endpoints)
 * @param inactivityGap  an open session with no new event for this long is closed
 * @param retention      how long a session's events stay in the grid after its last change (late events later
 *                       than this start a new state, whose entry completes the stored one: see EntryMerge)
 * @param retryBase      first retry delay of a failed event; doubled for each further attempt
 * @param retryMax       the longest retry delay
 * @param maxAttempts    processing attempts of a failing event (the first included) before it is dead-lettered
 */
public record ProcessorSettings(String tenant, Duration inactivityGap, Duration retention, Duration retryBase,
                                Duration retryMax, int maxAttempts) {

    public static final String RETRY_QUEUE = "viewing-history.retry";
    /** In shadow mode, the request path's failed events: retried into the store users read, not the shadow's. */
    public static final String REQUEST_PATH_RETRY_QUEUE = "viewing-history.retry.request-path";

    public static ProcessorSettings defaults() {
        return new ProcessorSettings("playback", Duration.ofMinutes(30), Duration.ofDays(2), Duration.ofSeconds(1),
                Duration.ofMinutes(5), 6);
    }

    public ProcessorSettings withRetries(Duration base, Duration max, int attempts) {
        return new ProcessorSettings(tenant, inactivityGap, retention, base, max, attempts);
    }

    public ProcessorSettings withInactivityGap(Duration gap) {
        return new ProcessorSettings(tenant, gap, retention, retryBase, retryMax, maxAttempts);
    }

    /** The delay before attempt {@code attempt + 1}, after {@code attempt} failed ones: base * 2^(attempt-1), capped. */
    public Duration backoff(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 30));
        long millis = retryBase.toMillis() << doublings;
        return millis <= 0 || millis > retryMax.toMillis() ? retryMax : Duration.ofMillis(millis);
    }
}
