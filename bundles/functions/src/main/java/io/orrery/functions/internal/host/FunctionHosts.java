package io.orrery.functions.internal.host;

import io.orrery.api.function.TenantHostsView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every tenant's function host on this node, and where the functions they serve are announced. */
public final class FunctionHosts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionHosts.class);

    /** Where a tenant's served functions go: the node publishes them as services. */
    public interface Listener {
        void served(String tenant, TenantHost host, List<String> functions);

        void withdrawn(String tenant);
    }

    /** How often each tenant's hosts are brought to their target (warm capacity, load) and idle extras stopped. */
    static final Duration UPKEEP = Duration.ofSeconds(1);

    private final HostLauncher launcher;
    private final Listener listener;
    private final WarmSettings warm;
    private final HostEvents events;
    private final HostDemand demand;
    private final Map<String, TenantHost> hosts = new ConcurrentHashMap<>();
    private final ScheduledExecutorService upkeep;

    public FunctionHosts(HostLauncher launcher, Listener listener) {
        this(launcher, listener, WarmSettings.DEFAULTS, HostEvents.NONE);
    }

    public FunctionHosts(HostLauncher launcher, Listener listener, WarmSettings warm, HostEvents events) {
        this(launcher, listener, warm, events, new HostDemand(DemandSettings.DEFAULTS));
    }

    /**
     * @param launcher starts the hosts; theirs from now on, closed with them
     * @param demand   every tenant's host target, raised by the queue wait of its calls ({@link #waited})
     */
    public FunctionHosts(HostLauncher launcher, Listener listener, WarmSettings warm, HostEvents events,
                         HostDemand demand) {
        this.demand = demand;
        this.launcher = launcher;
        this.listener = listener;
        this.warm = warm;
        this.events = events;
        this.upkeep = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "function-hosts-upkeep");
            t.setDaemon(true);
            return t;
        });
        upkeep.scheduleWithFixedDelay(this::upkeep, UPKEEP.toMillis(), UPKEEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void upkeep() {
        for (TenantHost host : hosts.values()) {
            try {
                host.upkeep();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("tenant {}: its function hosts not brought to their target: {}", host.tenant(),
                        e.getMessage());
            }
        }
    }

    public HostLauncher launcher() {
        return launcher;
    }

    /** Runs the tenant's host on these bundles (a new host replaces the old one). */
    public void deploy(String tenant, List<Path> bundles) throws InterruptedException {
        TenantHost host = hosts.computeIfAbsent(tenant, t -> new TenantHost(t, launcher, names -> { }, warm, events,
                demand));
        List<String> names;
        try {
            names = host.deploy(bundles);
        } catch (RuntimeException e) {
            LOG.warn("tenant {}: its function host did not start: {}", tenant, e.getMessage());
            return;
        }
        listener.served(tenant, host, names);
    }

    /** Stops the tenant's host: it has no bundles any more. */
    public void undeploy(String tenant) {
        TenantHost host = hosts.remove(tenant);
        if (host != null) {
            listener.withdrawn(tenant);
            host.close();
            demand.forget(tenant);
            events.ended(tenant); // closed, its host reports no more counts
            LOG.info("tenant {}: function host stopped, no tenant bundles left", tenant);
        }
    }

    /**
     * A call of the tenant's function started after waiting {@code wait} in its queue (the worker tells every call;
     * only those of hosted functions move the tenant's host target).
     */
    public void waited(String tenant, String function, Duration wait) {
        TenantHost host = hosts.get(tenant);
        if (host != null) {
            host.waited(function, wait);
        }
    }

    public HostDemand demand() {
        return demand;
    }

    public Optional<TenantHost> host(String tenant) {
        return Optional.ofNullable(hosts.get(tenant));
    }

    public int count() {
        return hosts.size();
    }

    /** Every tenant's hosts as they are now, by tenant; read without any lock a call or a host start takes. */
    public List<TenantHostsView> views() {
        return hosts.values().stream().map(TenantHost::view).sorted(Comparator.comparing(TenantHostsView::tenant))
                .toList();
    }

    @Override
    public void close() {
        upkeep.shutdownNow();
        for (String tenant : List.copyOf(hosts.keySet())) {
            undeploy(tenant);
        }
        launcher.close();
    }
}
