package io.orrery.api.rest;

import java.util.Objects;
import java.util.Set;

/**
 * One REST operation of a {@link RestResource}.
 *
 * @param id          short unique name, used for the route id and metrics ({@code playback-events})
 * @param method      {@code GET}, {@code POST}, {@code PUT} or {@code DELETE}
 * @param path        the path template below {@code /api/v1}; {@code {name}} segments are path parameters
 * @param query       the query parameters it accepts; any other is refused (400)
 * @param description one line for the OpenAPI document
 * @param handler     what it does
 */
public record RestOperation(String id, String method, String path, Set<String> query, String description,
                            RestHandler handler) {

    public RestOperation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(handler, "handler");
        query = query == null ? Set.of() : Set.copyOf(query);
        if (!Set.of("GET", "POST", "PUT", "DELETE").contains(method)) {
            throw new IllegalArgumentException("method: not supported: " + method);
        }
    }
}
