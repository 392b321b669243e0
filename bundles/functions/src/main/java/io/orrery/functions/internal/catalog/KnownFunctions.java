package io.orrery.functions.internal.catalog;

import io.orrery.api.function.FunctionCatalog;
import io.orrery.api.function.FunctionInfo;
import io.orrery.functions.internal.pool.FunctionCounts;
import io.orrery.functions.internal.pool.PoolTree;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The functions published on this node (hosted tenant functions and platform ones), with the pool their calls go
 * to and their counts. A tenant sees its own functions and the platform's, never another tenant's.
 */
public final class KnownFunctions implements FunctionCatalog {

    /** A published function: its tenant (null for a platform function) and whether a function host runs it. */
    public record Published(String name, String tenant, boolean hosted) {
    }

    private static final Comparator<FunctionInfo> ORDER = Comparator
            .comparing((FunctionInfo f) -> f.tenant() == null ? "" : "~" + f.tenant())
            .thenComparing(FunctionInfo::name);

    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final PoolTree pools;
    private final FunctionCounts counts;

    public KnownFunctions(PoolTree pools, FunctionCounts counts) {
        this.pools = pools;
        this.counts = counts;
    }

    public void add(Published f) {
        published.add(f);
    }

    public void remove(Published f) {
        published.remove(f);
    }

    /** Whether a function of the tenant's own is published here. */
    public boolean serves(String tenant) {
        return published.stream().anyMatch(f -> tenant.equals(f.tenant()));
    }

    @Override
    public List<FunctionInfo> functions() {
        return list(null);
    }

    @Override
    public List<FunctionInfo> functions(String tenant) {
        return list(Objects.requireNonNull(tenant, "tenant"));
    }

    private List<FunctionInfo> list(String tenant) {
        List<FunctionInfo> out = new ArrayList<>();
        for (Published f : List.copyOf(published)) {
            if (tenant != null && f.tenant() != null && !f.tenant().equals(tenant)) {
                continue;
            }
            String caller = tenant != null ? tenant : f.tenant();
            String pool = pools.plan().poolOf(caller == null ? "" : caller, f.name());
            FunctionInfo info = new FunctionInfo(f.name(), f.tenant(), f.hosted(), pool,
                    counts.invocations(caller, f.name()), counts.failures(caller, f.name()));
            if (out.stream().noneMatch(i -> i.name().equals(info.name()) && Objects.equals(i.tenant(), info.tenant()))) {
                out.add(info);
            }
        }
        out.sort(ORDER);
        return out;
    }
}
