package io.orrery.api.queue;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter between a call's attempts: base × 2^(attempt-1), capped, then a random share
 * of it between one half and all of it, so retries of many calls failing together spread out.
 */
public record Backoff(Duration base, Duration cap) {

    public static Backoff defaults() {
        return new Backoff(Duration.ofMillis(200), Duration.ofMinutes(1));
    }

    public Duration delayAfter(int attempt) {
        long exp = base.toMillis() << Math.min(20, Math.max(0, attempt - 1));
        long capped = Math.min(cap.toMillis(), exp);
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return Duration.ofMillis(jittered);
    }
}
