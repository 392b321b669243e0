package io.orrery.queue.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares claims among tenants by weight with smooth weighted round robin (as nginx balances upstreams): each pick
 * adds every eligible tenant's weight to its credit, takes the tenant with the most credit and charges it the
 * total. Over any window a tenant gets its weight's share, interleaved rather than in bursts, and a tenant with
 * ten messages is served within a few picks however many another tenant has. Only tenants that have work are
 * eligible, so an idle tenant's share goes to the others.
 */
final class TenantScheduler {

    private final Map<String, Integer> weights;
    private final Map<String, Long> credit = new HashMap<>();

    TenantScheduler(Map<String, Integer> weights) {
        this.weights = Map.copyOf(weights);
    }

    int weight(String tenant) {
        return weights.getOrDefault(tenant, 1);
    }

    /** How many of {@code picks} claims each tenant gets, in the order they were first picked. */
    synchronized Map<String, Integer> plan(Collection<String> tenants, int picks) {
        Map<String, Integer> plan = new LinkedHashMap<>();
        if (tenants.size() == 1) {
            plan.put(tenants.iterator().next(), picks);
            return plan;
        }
        List<String> eligible = List.copyOf(tenants);
        long total = eligible.stream().mapToLong(this::weight).sum();
        for (int i = 0; i < picks; i++) {
            String chosen = null;
            long most = Long.MIN_VALUE;
            for (String t : eligible) {
                long c = credit.merge(t, (long) weight(t), Long::sum);
                if (c > most) {
                    most = c;
                    chosen = t;
                }
            }
            credit.merge(chosen, -total, Long::sum);
            plan.merge(chosen, 1, Integer::sum);
        }
        return plan;
    }
}
