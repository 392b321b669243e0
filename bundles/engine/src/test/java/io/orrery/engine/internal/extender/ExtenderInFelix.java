package io.orrery.engine.internal.extender;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.engine.WorkflowEngine;
import io.orrery.emirax.EmiraxScript;
import io.orrery.engine.internal.EngineCore;
import io.orrery.engine.internal.EngineSettings;
import io.orrery.engine.internal.MemoryCallPort;
import io.orrery.engine.internal.MemoryInstanceTable;
import io.orrery.engine.internal.verify.BundleLimits;
import io.orrery.engine.internal.verify.ClassFileCheck;
import io.orrery.engine.internal.verify.TenantBundleVerifier;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/**
 * The extender in a real OSGi framework (Felix, the one Karaf runs on), wired as the component wires it: the
 * gate, the tracking, the upload deployer. Groovy, the DSL and the API come from the system bundle, as they come
 * from their own bundles in Karaf. The engine can hold one tenant's deploys ({@link #hold}) to show that other
 * tenants do not wait.
 */
final class ExtenderInFelix implements AutoCloseable {

    final Framework framework;
    final BundleContext context;
    final EngineCore engine;
    final TenantBundleExtender extender;
    final TenantBundleTracking tracking;
    final UploadedBundleDeployer deployer;

    private volatile String held;
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    ExtenderInFelix(Path dir, Duration grace) throws Exception {
        framework = new FrameworkFactory().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, dir.resolve("felix").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, String.join(",", sharedPackages())));
        framework.start();
        context = framework.getBundleContext();
        Clock clock = Clock.systemUTC();
        engine = new EngineCore(EngineSettings.defaults().withLanes(0), new MemoryInstanceTable(),
                new MemoryCallPort(clock), null, clock);
        extender = new TenantBundleExtender(holdable(engine), new BundleModuleLoader(getClass().getClassLoader()),
                clock, grace);
        var verifier = new TenantBundleVerifier(BundleLimits.defaults(), ClassFileCheck.standard());
        tracking = new TenantBundleTracking(context, extender, verifier).open();
        deployer = new UploadedBundleDeployer(context, extender, tracking, verifier, getClass().getClassLoader(),
                Duration.ofSeconds(60), dir.resolve("accepted"));
    }

    /** From now on the tenant's deploys into the engine wait until {@link #release()}. */
    void hold(String tenant) {
        held = tenant;
    }

    /** Waits until a held deploy is waiting. */
    boolean awaitHolding() throws InterruptedException {
        return holding.await(30, TimeUnit.SECONDS);
    }

    void release() {
        release.countDown();
    }

    @Override
    public void close() throws Exception {
        release.countDown();
        tracking.close();
        framework.stop();
        framework.waitForStop(20_000);
        engine.close();
    }

    private WorkflowEngine holdable(WorkflowEngine real) {
        return (WorkflowEngine) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {WorkflowEngine.class}, (proxy, method, args) -> {
                    if (method.getName().equals("deploy") && args[0].equals(held)) {
                        holding.countDown();
                        assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Every package of Groovy, the Emirax DSL and the Orrery API, exported by the system bundle. */
    private static Set<String> sharedPackages() throws IOException, URISyntaxException {
        Set<String> packages = new TreeSet<>();
        for (Class<?> anchor : List.of(groovy.lang.GroovyObject.class, EmiraxScript.class,
                io.orrery.api.engine.WorkflowEngine.class)) {
            Path source = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (String entry : entries(source)) {
                int slash = entry.lastIndexOf('/');
                if (entry.endsWith(".class") && slash > 0 && !entry.startsWith("META-INF")) {
                    packages.add(entry.substring(0, slash).replace('/', '.'));
                }
            }
        }
        return packages;
    }

    private static List<String> entries(Path source) throws IOException {
        if (Files.isDirectory(source)) {
            try (Stream<Path> walk = Files.walk(source)) {
                return walk.map(p -> source.relativize(p).toString().replace('\\', '/')).toList();
            }
        }
        try (var zip = new ZipFile(source.toFile())) {
            return zip.stream().map(java.util.zip.ZipEntry::getName).toList();
        }
    }
}
