package io.orrery.functions.internal.osgi;

import io.micrometer.core.instrument.MeterRegistry;
import io.orrery.api.function.FunctionHostDirectory;
import io.orrery.api.function.PoolView;
import io.orrery.api.function.ResourcePools;
import io.orrery.api.function.TenantHostsView;
import io.orrery.api.health.ComponentHealth;
import io.orrery.api.health.HealthIndicator;
import io.orrery.functions.internal.host.DemandSettings;
import io.orrery.functions.internal.host.FunctionHosts;
import io.orrery.functions.internal.host.HostDemand;
import io.orrery.functions.internal.host.HostLauncher;
import io.orrery.functions.internal.host.HostLimits;
import io.orrery.functions.internal.host.HostSettings;
import io.orrery.functions.internal.host.HostsHealth;
import io.orrery.functions.internal.host.KernelLimits;
import io.orrery.functions.internal.host.Sandbox;
import io.orrery.functions.internal.host.TenantHost;
import io.orrery.functions.internal.host.WarmMeters;
import io.orrery.functions.internal.host.WarmSettings;
import io.orrery.functions.internal.worker.CallWaits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.util.tracker.BundleTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every tenant's functions in function hosts (configuration {@code io.orrery.functions}) and reports, as the
 * {@code functions} health component, whether they are sandboxed. Told each call's queue wait by the node's function
 * worker ({@link CallWaits}), it grows a tenant's hosts with load, up to what the node's pools can run at once. A
 * changed configuration restarts every host. Operators see the hosts through {@link FunctionHostDirectory}.
 */
@Component(service = {HealthIndicator.class, CallWaits.class, FunctionHostDirectory.class}, immediate = true,
        configurationPid = "io.orrery.functions")
@Designate(ocd = FunctionHostsComponent.Config.class)
public final class FunctionHostsComponent implements HealthIndicator, CallWaits, FunctionHostDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionHostsComponent.class);

    @ObjectClassDefinition(name = "Orrery function hosts")
    public @interface Config {
        @AttributeDefinition(description = "Heap cap of each tenant's function host, in MiB (-Xmx)")
        int heapMegabytes() default 256;

        @AttributeDefinition(description = "Live threads a host may hold; past it the host ends and its calls fail "
                + "(at least 32)")
        int maxThreads() default 256;

        @AttributeDefinition(description = "Processes a host may have started at once, with theirs; past it the host "
                + "ends and its calls fail")
        int maxProcesses() default 32;

        @AttributeDefinition(description = "Files a host may hold open (RLIMIT_NOFILE, through prlimit; at least 128)")
        int maxOpenFiles() default 1024;

        @AttributeDefinition(description = "The largest file a host may write, in MiB (RLIMIT_FSIZE, through prlimit)")
        int maxFileSizeMegabytes() default 1024;

        @AttributeDefinition(description = "auto: bubblewrap when it works here; off: plain processes")
        String sandbox() default "auto";

        @AttributeDefinition(description = "The bwrap binary; empty looks it up on the PATH")
        String bwrap() default "";

        @AttributeDefinition(description = "The host's installation; empty is <karaf.home>/lib/function-host")
        String hostHome() default "";

        @AttributeDefinition(description = "Where tenants' hosts keep their bundles and scratch; empty is "
                + "<karaf.data>/function-hosts")
        String hostsDirectory() default "";

        @AttributeDefinition(description = "More directories a sandboxed host sees empty, comma-separated "
                + "(the server's data/ and etc/ always are)")
        String hiddenPaths() default "";

        @AttributeDefinition(description = "Seconds a host may take to start")
        int startTimeoutSeconds() default 60;

        @AttributeDefinition(description = "Seconds any call may run when its own timeout does not stop it first")
        int callLimitSeconds() default 3600;

        @AttributeDefinition(description = "Seconds a host beyond the host target (load, warm capacity) stays after "
                + "its last call")
        int idleSeconds() default 300;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile MeterRegistry meters;

    /** The node's pools: no tenant runs more calls at once than the root pool's maximum, so no more hosts either. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ResourcePools pools;

    private volatile FunctionHosts hosts;
    private TenantBundleFeed feed;
    private FunctionServices services;

    @Activate
    void activate(BundleContext context, Config config, Map<String, Object> properties) {
        Sandbox sandbox = "off".equalsIgnoreCase(config.sandbox().trim()) ? Sandbox.off("switched off in "
                + "io.orrery.functions") : Sandbox.detect(config.bwrap().isBlank() ? null : Path.of(config.bwrap()));
        if (!sandbox.on()) {
            LOG.warn("function hosts run without a sandbox ({}): tenant functions can read what this user can and "
                    + "reach the network", sandbox.status());
        }
        services = new FunctionServices(context);
        WarmSettings warm;
        try {
            warm = new WarmSettings(WarmSettings.parse(properties), Duration.ofSeconds(config.idleSeconds()));
        } catch (IllegalArgumentException e) {
            LOG.error("io.orrery.functions: {}; functions keep the warm instances they declare", e.getMessage());
            warm = new WarmSettings(Map.of(), Duration.ofSeconds(config.idleSeconds()));
        }
        HostDemand demand = new HostDemand(demandSettings(properties));
        demand.slots(this::poolSlots);
        hosts = new FunctionHosts(new HostLauncher(settings(config, sandbox), sandbox), services, warm,
                new WarmMeters(() -> meters), demand);
        feed = new TenantBundleFeed(hosts, Duration.ofSeconds(Math.min(30, config.startTimeoutSeconds())));
        feed.open(new BundleTracker<>(context, TenantBundleFeed.STATES, feed));
    }

    private static DemandSettings demandSettings(Map<String, Object> properties) {
        try {
            return DemandSettings.parse(properties);
        } catch (IllegalArgumentException e) {
            LOG.error("io.orrery.functions: {}; hosts follow load with the defaults", e.getMessage());
            return DemandSettings.DEFAULTS;
        }
    }

    /** The root pool's maximum slots; unbounded while the pools are not published. */
    private int poolSlots() {
        ResourcePools p = pools;
        if (p == null) {
            return Integer.MAX_VALUE;
        }
        return p.pools().stream().filter(v -> v.parent() == null).mapToInt(PoolView::max).findFirst()
                .orElse(Integer.MAX_VALUE);
    }

    @Override
    public void started(String tenant, String function, Duration wait) {
        FunctionHosts h = hosts;
        if (h != null) {
            h.waited(tenant, function, wait);
        }
    }

    @Override
    public List<TenantHostsView> tenants() {
        FunctionHosts h = hosts;
        return h == null ? List.of() : h.views();
    }

    @Override
    public Optional<TenantHostsView> tenant(String tenant) {
        FunctionHosts h = hosts;
        return h == null || tenant == null ? Optional.empty() : h.host(tenant).map(TenantHost::view);
    }

    @Deactivate
    void deactivate() {
        feed.close();
        hosts.close();
    }

    @Override
    public String component() {
        return HostsHealth.COMPONENT;
    }

    @Override
    public ComponentHealth check() {
        return HostsHealth.check(hosts.launcher().sandbox(), hosts.count());
    }

    static HostSettings settings(Config config) {
        return settings(config, Sandbox.off("not asked"));
    }

    /** The hosts' settings from {@code config}, their limits ones the sandbox's kernel limits can set. */
    static HostSettings settings(Config config, Sandbox sandbox) {
        Path home = Path.of(System.getProperty("karaf.home", "."));
        Path data = Path.of(System.getProperty("karaf.data", home.resolve("data").toString()));
        Path etc = Path.of(System.getProperty("karaf.etc", home.resolve("etc").toString()));
        List<Path> hidden = new ArrayList<>(List.of(data, etc));
        Arrays.stream(config.hiddenPaths().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(Path::of).forEach(hidden::add);
        return new HostSettings(
                config.hostHome().isBlank() ? home.resolve("lib/function-host") : Path.of(config.hostHome()),
                config.heapMegabytes(),
                config.hostsDirectory().isBlank() ? data.resolve("function-hosts") : Path.of(config.hostsDirectory()),
                hidden, Duration.ofSeconds(config.startTimeoutSeconds()), Duration.ofSeconds(config.callLimitSeconds()),
                limits(config, sandbox.kernelLimits()));
    }

    /**
     * The configured limits; the defaults, logged, when one is below what any host needs or the kernel will not set
     * them (open files above its ceiling, or above this user's hard limit when not root): no host would start.
     */
    private static HostLimits limits(Config config, KernelLimits kernel) {
        String trouble;
        try {
            HostLimits configured = configuredLimits(config);
            trouble = kernel.trouble(configured);
            if (trouble == null) {
                return configured;
            }
        } catch (IllegalArgumentException e) {
            trouble = e.getMessage();
        }
        LOG.error("io.orrery.functions: {}; function hosts run with the default limits", trouble);
        return HostLimits.DEFAULTS;
    }

    /** Why the configured limits cannot be a host's, or null. */
    static String limitsTrouble(Config config) {
        try {
            configuredLimits(config);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static HostLimits configuredLimits(Config config) {
        return new HostLimits(config.maxThreads(), config.maxProcesses(), config.maxOpenFiles(),
                config.maxFileSizeMegabytes() * (1L << 20));
    }
}
