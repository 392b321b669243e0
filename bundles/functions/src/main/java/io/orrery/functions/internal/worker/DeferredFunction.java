package io.orrery.functions.internal.worker;

import java.util.Map;

/**
 * A function whose call can be sent off at once and answered later, on whichever thread learns the answer: a
 * tenant's function in its host, whose answer the node's reader of that host receives. The worker then holds no
 * thread per running call: the thread that gets a slot sends the call, and the thread that receives the answer
 * settles it and starts the slot's next call. Platform code only (the node's hosted functions); tenants' functions
 * never implement it.
 */
public interface DeferredFunction {

    /**
     * Sends a call if that can be done now without waiting for anything (a host warm for the function, room on its
     * stream); null otherwise, and the worker runs the call through {@code apply} on a thread of its own. How the
     * call began is reported on this thread ({@code CallStart}).
     */
    DeferredCall applyLater(Map<String, Object> args);
}
