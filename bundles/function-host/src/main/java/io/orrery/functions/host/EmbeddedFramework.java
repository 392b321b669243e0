package io.orrery.functions.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * The host's OSGi framework (Apache Felix): the platform bundles (SCR and what it needs), then the tenant's bundles,
 * each started, with the framework's storage in the host's scratch directory.
 */
final class EmbeddedFramework implements AutoCloseable {

    private final Framework framework;
    private final List<Bundle> tenantBundles;

    private EmbeddedFramework(Framework framework, List<Bundle> tenantBundles) {
        this.framework = framework;
        this.tenantBundles = tenantBundles;
    }

    static EmbeddedFramework start(HostOptions options) throws IOException, BundleException {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, options.scratch().resolve("framework").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SharedPackages.fromClassPath());
        config.put("felix.log.level", "1");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the host's class path"));
        Framework framework = factory.newFramework(config);
        framework.init();
        framework.start();
        List<Bundle> platform = new ArrayList<>();
        for (Path jar : jars(options.platformBundles())) {
            platform.add(install(framework, jar));
        }
        Path rewritten = Files.createDirectories(options.scratch().resolve("bundles"));
        List<Bundle> tenant = new ArrayList<>();
        for (Path jar : options.tenantBundles()) {
            tenant.add(install(framework, FunctionComponents.rewrite(jar, rewritten)));
        }
        for (Bundle b : platform) {
            startUnlessFragment(b);
        }
        for (Bundle b : tenant) {
            startUnlessFragment(b);
        }
        return new EmbeddedFramework(framework, List.copyOf(tenant));
    }

    Framework framework() {
        return framework;
    }

    List<Bundle> tenantBundles() {
        return tenantBundles;
    }

    private static List<Path> jars(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static Bundle install(Framework framework, Path jar) throws BundleException {
        return framework.getBundleContext().installBundle(jar.toUri().toString());
    }

    private static void startUnlessFragment(Bundle b) throws BundleException {
        if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
            b.start();
        }
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(5_000);
    }
}
