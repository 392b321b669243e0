package io.orrery.functions.internal.osgi;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.orrery.api.function.CallAdmission;
import io.orrery.api.function.CallTicket;
import io.orrery.api.function.FunctionCatalog;
import io.orrery.api.function.FunctionInfo;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.function.PoolView;
import io.orrery.api.function.ResourcePools;
import io.orrery.functions.internal.catalog.KnownFunctions;
import io.orrery.functions.internal.pool.FunctionCounts;
import io.orrery.functions.internal.pool.PoolConfigException;
import io.orrery.functions.internal.pool.PoolEvents;
import io.orrery.functions.internal.pool.PoolMeters;
import io.orrery.functions.internal.pool.PoolPlan;
import io.orrery.functions.internal.pool.PoolTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's resource pools ({@code etc/io.orrery.pools.cfg}, PID {@value #PID}) admitting the function worker's
 * calls, and the list of functions published here. A changed file applies at once to the running pools, keeping the
 * calls that hold slots; a file that does not check out is refused with a log line naming the key, and the pools
 * stay as they were.
 */
@Component(service = {CallAdmission.class, ResourcePools.class, FunctionCatalog.class}, immediate = true,
        configurationPid = PoolsComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class PoolsComponent implements CallAdmission, ResourcePools, FunctionCatalog {

    public static final String PID = "io.orrery.pools";
    private static final Logger LOG = LoggerFactory.getLogger(PoolsComponent.class);

    /**
     * Every meter is made here; the node's registry joins when it is published, which may be after this component
     * started (a registry read once at activation would leave its meters recording nowhere).
     */
    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindMeters")
    void bindMeters(MeterRegistry registry) {
        meters.add(registry);
    }

    void unbindMeters(MeterRegistry registry) {
        meters.remove(registry);
    }

    private final FunctionCounts counts = new FunctionCounts();
    private final List<KnownFunctions.Published> early = new ArrayList<>();
    private PoolMeters poolMeters;
    private volatile PoolTree tree;
    private volatile KnownFunctions known;

    @Activate
    void activate(Map<String, Object> properties) {
        List<PoolEvents> events = new ArrayList<>(List.of(counts));
        poolMeters = new PoolMeters(meters);
        events.add(poolMeters);
        PoolPlan plan;
        try {
            plan = PoolPlan.parse(properties);
        } catch (PoolConfigException e) {
            LOG.error("{} refused ({}); running with one root pool of 4 slots until it is fixed", PID,
                    e.getMessage());
            plan = PoolPlan.defaults();
        }
        tree = new PoolTree(plan, PoolEvents.of(events));
        synchronized (early) {
            known = new KnownFunctions(tree, counts);
            early.forEach(known::add);
        }
        watch();
        LOG.info("resource pools: {}", describe(plan));
    }

    @Modified
    void modified(Map<String, Object> properties) {
        try {
            PoolPlan plan = PoolPlan.parse(properties);
            tree.reconfigure(plan);
            watch();
            LOG.info("resource pools changed: {}", describe(plan));
        } catch (PoolConfigException e) {
            LOG.error("{} refused, the pools stay as they were: {}", PID, e.getMessage());
        }
    }

    private void watch() {
        if (poolMeters != null) {
            poolMeters.watch(tree);
        }
    }

    private static String describe(PoolPlan plan) {
        StringBuilder out = new StringBuilder();
        plan.pools().forEach(p -> out.append(out.length() == 0 ? "" : ", ").append(p.name()).append(' ')
                .append(p.reserved()).append('/').append(p.max()));
        return out.append(" (reserved/max)").toString();
    }

    @Reference(service = OrreryFunction.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removeFunction")
    void addFunction(ServiceReference<OrreryFunction> ref, OrreryFunction f) {
        KnownFunctions.Published p = published(ref, f);
        synchronized (early) {
            if (known == null) {
                early.add(p);
            } else {
                known.add(p);
            }
        }
    }

    void removeFunction(ServiceReference<OrreryFunction> ref, OrreryFunction f) {
        KnownFunctions.Published p = published(ref, f);
        boolean ended;
        synchronized (early) {
            early.remove(p);
            if (known != null) {
                known.remove(p);
            }
            ended = p.tenant() != null && known != null && !known.serves(p.tenant());
        }
        // The tenant's last function went with its hosts (its bundles undeployed here, as when it is deleted): the
        // meters of its calls go too, so that they do not outlive it and a tenant created later under its name is
        // counted afresh.
        if (ended && poolMeters != null) {
            poolMeters.forget(p.tenant());
        }
    }

    /** Its tenant: the tenant bundle's own, else the service property; none for a platform function. */
    private static KnownFunctions.Published published(ServiceReference<?> ref, OrreryFunction f) {
        String bundleTenant = ref.getBundle() == null ? null : ref.getBundle().getHeaders("").get("Orrery-Tenant");
        Object property = ref.getProperty(FunctionServices.TENANT);
        String tenant = bundleTenant != null ? bundleTenant : property == null ? null : property.toString();
        return new KnownFunctions.Published(f.name(), tenant,
                Boolean.TRUE.equals(ref.getProperty(FunctionServices.HOSTED)));
    }

    @Override
    public int room() {
        return tree.room();
    }

    @Override
    public int batchSize(String tenant, String function) {
        return tree.batchSize(tenant, function);
    }

    @Override
    public Set<String> owedTenants() {
        return tree.owedTenants();
    }

    @Override
    public Waiting request(CallTicket ticket, Consumer<Slot> start) {
        return tree.request(ticket, start);
    }

    @Override
    public List<PoolView> pools() {
        return tree.pools();
    }

    @Override
    public PoolView resize(String pool, int reserved, int max) {
        PoolView changed = tree.resize(pool, reserved, max);
        watch();
        LOG.info("pool {} resized to {} reserved, {} max (until {} changes)", pool, reserved, max, PID);
        return changed;
    }

    @Override
    public List<FunctionInfo> functions() {
        return known.functions();
    }

    @Override
    public List<FunctionInfo> functions(String tenant) {
        return known.functions(tenant);
    }
}
