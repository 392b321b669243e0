package io.orrery.api.function;

import java.util.Map;

/**
 * What one call of a batch came to: its result, or the exception it failed with.
 *
 * @param value the result when the call succeeded, else null
 * @param error the failure, else null
 */
public record BatchOutcome(Map<String, Object> value, Exception error) {

    public static BatchOutcome success(Map<String, Object> value) {
        return new BatchOutcome(value == null ? Map.of() : value, null);
    }

    public static BatchOutcome failure(Exception error) {
        return new BatchOutcome(null, error);
    }

    public boolean failed() {
        return error != null;
    }
}
