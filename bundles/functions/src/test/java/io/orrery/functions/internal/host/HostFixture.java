package io.orrery.functions.internal.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Hosts as the node runs them, on the host installation this build assembled. */
public final class HostFixture {

    static final Path HOST_HOME = Path.of(System.getProperty("orrery.functionHost.home",
            "../function-host/target/function-host"));

    private HostFixture() {
    }

    public static HostSettings settings(Path root, int heapMegabytes, List<Path> hidden) {
        return settings(root, heapMegabytes, hidden, HostLimits.DEFAULTS);
    }

    public static HostSettings settings(Path root, int heapMegabytes, List<Path> hidden, HostLimits limits) {
        return new HostSettings(HOST_HOME, heapMegabytes, root.resolve("hosts"), hidden, Duration.ofSeconds(60),
                Duration.ofMinutes(5), limits);
    }

    /** A tenant host on its bundles, recording what each start served. */
    static TenantHost host(String tenant, HostLauncher launcher, List<Path> bundles, List<List<String>> served)
            throws InterruptedException {
        TenantHost host = new TenantHost(tenant, launcher, served::add);
        host.deploy(bundles);
        return host;
    }

    static List<List<String>> record() {
        return new CopyOnWriteArrayList<>();
    }
}
