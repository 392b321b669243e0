package io.orrery.api.function;

import java.util.List;

/**
 * One tenant's function hosts on this node, with what load asks for and what happened to them since the tenant's
 * bundles arrived.
 *
 * @param tenant  the tenant
 * @param target  the hosts its calls' queue wait and its functions' warm instances ask for now
 * @param started hosts started (the first, those load added, those started again after one ended)
 * @param stopped hosts the node stopped in order (idle beyond the target, replaced by a new deployment)
 * @param killed  hosts the node killed with their process tree (a call overran, a start or warm-up took too long)
 * @param died    hosts that ended on their own (crashed, ran out of memory, killed from outside, failed to start)
 * @param hosts   the hosts starting or running now, by instance number
 */
public record TenantHostsView(String tenant, int target, long started, long stopped, long killed, long died,
                              List<FunctionHostView> hosts) {

    public TenantHostsView {
        hosts = List.copyOf(hosts);
    }

    /** The hosts that are ready for calls (warm or not). */
    public long running() {
        return hosts.stream().filter(h -> h.state() == FunctionHostView.State.READY
                || h.state() == FunctionHostView.State.WARM).count();
    }
}
