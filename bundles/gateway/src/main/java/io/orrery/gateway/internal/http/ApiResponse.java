package io.orrery.gateway.internal.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** A successful answer: status, a body serialised as JSON, and headers such as {@code Location}. */
public record ApiResponse(int status, Object body, Map<String, String> headers) {

    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, body, Map.of());
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new ApiResponse(status, body, all);
    }
}
