package io.orrery.api.rest;

import java.util.List;

/**
 * REST endpoints contributed by a platform bundle. The gateway mounts every registered {@code RestResource} under
 * {@code /api/v1} behind its own request gate (bearer token, rate limit, problem documents, metrics), so a
 * subsystem adds endpoints without a second HTTP layer. Only {@link #tenant()}'s tokens and the administrator's
 * may call them; anyone else gets 404.
 */
public interface RestResource {

    /** The tenant these endpoints belong to. */
    String tenant();

    /** The operations, each a method and a path template below {@code /api/v1} such as {@code /users/{user}/x}. */
    List<RestOperation> operations();
}
