package io.orrery.functions.internal.worker;

import java.time.Duration;

/**
 * Where the worker tells how long each call waited in its queue, from enqueue to the start of its run (the wait
 * for a slot included): the node's function hosts follow that load. A batch tells its earliest call's wait.
 */
public interface CallWaits {

    CallWaits NONE = (tenant, function, wait) -> { };

    void started(String tenant, String function, Duration wait);
}
