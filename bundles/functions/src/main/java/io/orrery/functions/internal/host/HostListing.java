package io.orrery.functions.internal.host;

import io.orrery.api.function.FunctionHostView;
import io.orrery.api.function.FunctionHostView.State;
import io.orrery.api.function.TenantHostsView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tenant's hosts as operators see them, taken from what calls read anyway (the copy-on-write list of running
 * hosts, the hosts being started, their busy counts) so a listing never waits for a host start nor holds up a call.
 */
final class HostListing {

    private HostListing() {
    }

    /**
     * @param starting hosts launched and not yet ready, by instance number; read before {@code running}, since a
     *                 host joins the running ones before it leaves the starting ones, so none is missed
     */
    static TenantHostsView of(String tenant, int target, HostTally tally, Map<HostProcess, Integer> starting,
                              Collection<WarmInstance> running, boolean sandboxed) {
        Map<HostProcess, Integer> launched = new IdentityHashMap<>(starting);
        List<WarmInstance> ready = List.copyOf(running);
        Set<HostProcess> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<FunctionHostView> hosts = new ArrayList<>();
        for (WarmInstance i : ready) {
            seen.add(i.process());
            List<String> warm = i.warm();
            State state = !i.process().alive() ? State.ENDED : warm.isEmpty() ? State.READY : State.WARM;
            hosts.add(view(tenant, i.index(), i.process(), state, i.busy(), sandboxed, warm));
        }
        launched.forEach((p, index) -> {
            if (!seen.contains(p)) {
                hosts.add(view(tenant, index, p, p.alive() ? State.STARTING : State.ENDED, 0, sandboxed, List.of()));
            }
        });
        hosts.sort(Comparator.comparingInt(FunctionHostView::instance));
        return new TenantHostsView(tenant, target, tally.startedCount(), tally.stoppedCount(), tally.killedCount(),
                tally.diedCount(), hosts);
    }

    private static FunctionHostView view(String tenant, int index, HostProcess p, State state, int busy,
                                         boolean sandboxed, List<String> warm) {
        return new FunctionHostView(tenant, index, p.handle().pid(), state, p.startedAt(), busy, sandboxed, warm);
    }
}
