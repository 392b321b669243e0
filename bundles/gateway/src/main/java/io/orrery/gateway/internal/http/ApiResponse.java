package io.orrery.gateway.internal.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A successful answer: status, a body serialised as JSON (or sent as it is when a {@link Text}), and headers such as
 * {@code Location}.
 */
public record ApiResponse(int status, Object body, Map<String, String> headers) {

    /** A body that is not JSON, sent as it is. */
    public record Text(String contentType, String text) { }

    public static ApiResponse text(int status, String contentType, String text) {
        return new ApiResponse(status, new Text(contentType, text), Map.of());
    }

    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, body, Map.of());
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new ApiResponse(status, body, all);
    }
}
