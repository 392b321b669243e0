package io.orrery.functions.internal.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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

    private final HostLauncher launcher;
    private final Listener listener;
    private final Map<String, TenantHost> hosts = new ConcurrentHashMap<>();

    public FunctionHosts(HostLauncher launcher, Listener listener) {
        this.launcher = launcher;
        this.listener = listener;
    }

    public HostLauncher launcher() {
        return launcher;
    }

    /** Runs the tenant's host on these bundles (a new host replaces the old one). */
    public void deploy(String tenant, List<Path> bundles) throws InterruptedException {
        TenantHost host = hosts.computeIfAbsent(tenant, t -> new TenantHost(t, launcher, names -> { }));
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
            LOG.info("tenant {}: function host stopped, no tenant bundles left", tenant);
        }
    }

    public Optional<TenantHost> host(String tenant) {
        return Optional.ofNullable(hosts.get(tenant));
    }

    public int count() {
        return hosts.size();
    }

    @Override
    public void close() {
        for (String tenant : List.copyOf(hosts.keySet())) {
            undeploy(tenant);
        }
    }
}
