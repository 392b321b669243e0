package io.orrery.api.rest;

import io.orrery.api.tenant.Principal;
import io.orrery.api.trace.TraceContext;

/** A call that passed the gateway's gate: who made it, its parameters, and its body read within a limit. */
public interface RestCall {

    Principal principal();

    TraceContext trace();

    /** A path parameter, percent-decoded. */
    String path(String name);

    /** A query parameter's one value, or null. */
    String query(String name);

    /** A request header's one value, or null. */
    String header(String name);

    /** The body, at most {@code limit} bytes (413 beyond); empty when there is none. */
    byte[] body(long limit);
}
