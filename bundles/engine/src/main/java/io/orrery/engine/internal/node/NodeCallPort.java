package io.orrery.engine.internal.node;

import io.orrery.api.engine.CallResult;
import io.orrery.api.function.CallPort;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.trace.TraceContext;
import io.orrery.engine.internal.EngineCore;
import io.orrery.engine.internal.queue.QueueCallPort;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the node offers a function worker: calls claimed from the tenants' function queues, results sent to the
 * results queue, and the functions of the workflow modules its engine has deployed.
 */
final class NodeCallPort implements CallPort {

    private final QueueCallPort queues;
    private final EngineCore engine;
    private final String node;

    NodeCallPort(QueueCallPort queues, EngineCore engine, String node) {
        this.queues = queues;
        this.engine = engine;
        this.node = node;
    }

    @Override
    public List<ClaimedCall> claim(int max, Duration wait) throws InterruptedException {
        return queues.claim(max, wait);
    }

    @Override
    public List<ClaimedCall> claimFrom(Set<String> tenants, int max, Duration wait) throws InterruptedException {
        return queues.claimFrom(tenants, max, wait);
    }

    @Override
    public Instant enqueuedAt(ClaimedCall call) {
        return queues.enqueuedAt(call);
    }

    @Override
    public void complete(ClaimedCall call) {
        queues.complete(call);
    }

    @Override
    public void completeAll(List<ClaimedCall> calls) {
        queues.completeAll(calls);
    }

    @Override
    public void retryLater(ClaimedCall call, Duration delay, String reason) {
        queues.retryLater(call, delay, reason);
    }

    @Override
    public Duration lease(ClaimedCall call) {
        return queues.lease(call);
    }

    @Override
    public ClaimedCall extend(ClaimedCall call, Duration lease) {
        return queues.extend(call, lease);
    }

    @Override
    public TraceContext waitOf(ClaimedCall call) {
        return queues.waitOf(call);
    }

    @Override
    public void deliver(List<CallResult> results) {
        queues.sendResults(results);
    }

    @Override
    public Optional<OrreryFunction> moduleFunction(String tenant, String name) {
        return engine.registry().function(tenant, name);
    }

    @Override
    public String node() {
        return node;
    }
}
