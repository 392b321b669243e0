package io.orrery.engine.internal;

import io.orrery.api.engine.OutboundCall;
import java.util.List;

/**
 * The engine's outbound port: function calls and timers leave through it, after the instance that made them
 * was saved. Results come back through {@link EngineCore#deliver}. Implementations: {@link MemoryCallPort}
 * (unit tests, the test kit) and the queue adapter (per-tenant function queues, a results queue).
 */
public interface CallDispatch {

    void dispatch(List<OutboundCall> calls);
}
