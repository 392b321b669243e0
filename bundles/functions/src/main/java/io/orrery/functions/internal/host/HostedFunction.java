package io.orrery.functions.internal.host;

import io.orrery.api.function.BatchOutcome;
import io.orrery.api.function.OrreryFunction;
import io.orrery.functions.internal.worker.DeferredCall;
import io.orrery.functions.internal.worker.DeferredFunction;
import io.orrery.functions.protocol.HostMessage;
import java.util.List;
import java.util.Map;

/**
 * A tenant's function as the node's engine sees it: each call goes to the tenant's function host. A lone call to a
 * host already warm for the function is sent without holding a thread while it runs ({@link DeferredFunction}).
 */
public final class HostedFunction implements OrreryFunction, DeferredFunction {

    private final String name;
    private final TenantHost host;

    public HostedFunction(String name, TenantHost host) {
        this.name = name;
        this.host = host;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> args) throws Exception {
        return host.call(name, args);
    }

    /** Sent at once to a host warm for the function; its answer comes on that host's reading thread. */
    @Override
    public DeferredCall applyLater(Map<String, Object> args) {
        return host.callLater(name, args);
    }

    @Override
    public List<BatchOutcome> applyBatch(List<Map<String, Object>> calls) {
        try {
            return host.callBatch(name, calls);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostFailure(name + ": a batch interrupted", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // the whole batch failed in the host: every call fails with it
            return java.util.Collections.nCopies(calls.size(), BatchOutcome.failure(e));
        }
    }

    /**
     * A call waits on its host's answer, and an interrupt kills the host (and so the call); only a wait for another
     * call's host start, bounded by the start timeout, outlasts it.
     */
    @Override
    public boolean endsOnInterrupt() {
        return true;
    }

    @Override
    public int batchSize() {
        return host.declared(name, HostMessage.BATCH_SIZE, 1);
    }

    @Override
    public int warmInstances() {
        return host.declared(name, HostMessage.WARM_INSTANCES, 0);
    }

    @Override
    public String toString() {
        return name + " in the function host of tenant " + host.tenant();
    }
}
