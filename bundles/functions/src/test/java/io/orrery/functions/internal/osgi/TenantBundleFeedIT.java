package io.orrery.functions.internal.osgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.function.OrreryFunction;
import io.orrery.functions.fixtures.Echo;
import io.orrery.functions.fixtures.ReadFile;
import io.orrery.functions.internal.host.FunctionHosts;
import io.orrery.functions.internal.host.HostFixture;
import io.orrery.functions.internal.host.HostLauncher;
import io.orrery.functions.internal.host.ProbeBundles;
import io.orrery.functions.internal.host.Sandbox;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.BundleTracker;

/**
 * Tenant bundles in a real OSGi framework (as the server holds them: installed from bytes, resolved, never started)
 * reach their tenant's host, and the functions it serves come back as {@link OrreryFunction} services for that
 * tenant; an update replaces the host, an uninstall stops it.
 */
class TenantBundleFeedIT {

    @TempDir
    Path root;

    private Framework framework;
    private FunctionHosts hosts;
    private TenantBundleFeed feed;

    @BeforeEach
    void start() throws Exception {
        framework = new FrameworkFactory().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, root.resolve("server-cache").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "io.orrery.api.function;version=1.0.0,org.slf4j;version=2.0.17"));
        framework.start();
        BundleContext context = framework.getBundleContext();
        hosts = new FunctionHosts(new HostLauncher(HostFixture.settings(root, 64, List.of()), Sandbox.detect(null)),
                new FunctionServices(context));
        feed = new TenantBundleFeed(hosts, Duration.ofSeconds(60));
        feed.open(new BundleTracker<>(context, TenantBundleFeed.STATES, feed));
    }

    @AfterEach
    void stop() throws Exception {
        feed.close();
        hosts.close();
        framework.stop();
        framework.waitForStop(10_000);
    }

    private Collection<ServiceReference<OrreryFunction>> functions(String tenant) throws Exception {
        return framework.getBundleContext().getServiceReferences(OrreryFunction.class,
                "(" + FunctionServices.TENANT + "=" + tenant + ")");
    }

    private TreeSet<String> names(String tenant) throws Exception {
        var names = new TreeSet<String>();
        functions(tenant).forEach(r -> names.add((String) r.getProperty("orrery.function")));
        return names;
    }

    private Map<String, Object> call(String tenant, String name) throws Exception {
        BundleContext context = framework.getBundleContext();
        var ref = context.getServiceReferences(OrreryFunction.class, "(&(" + FunctionServices.TENANT + "=" + tenant
                + ")(orrery.function=" + name + "))").iterator().next();
        return context.getService(ref).apply(Map.of("hello", "world"));
    }

    private Object echoServiceId() throws Exception {
        return framework.getBundleContext().getServiceReferences(OrreryFunction.class, "(&(" + FunctionServices.TENANT
                + "=acme)(orrery.function=probe.echo))").iterator().next().getProperty(Constants.SERVICE_ID);
    }

    private Bundle install(Path jar) throws Exception {
        try (InputStream in = Files.newInputStream(jar)) {
            Bundle b = framework.getBundleContext().installBundle("orrery:acme/acme.probes", in);
            framework.adapt(FrameworkWiring.class).resolveBundles(List.of(b));
            return b;
        }
    }

    @Test
    void aTenantBundleIsServedByItsHostUntilItIsUpdatedOrUninstalled() throws Exception {
        Path v1 = ProbeBundles.write(root.resolve("upload/v1.jar"), "acme", "1.0.0", ProbeBundles.PROBES);
        Bundle bundle = install(v1);
        assertThat(bundle.getState()).isEqualTo(Bundle.RESOLVED);

        // Resolving it waited for its host: its functions are there as soon as the resolve returns.
        assertThat(names("acme")).contains("probe.spin", "probe.echo");
        assertThat(call("acme", "probe.echo")).containsEntry("echo", Map.of("hello", "world"));
        assertThat(names("beta")).isEmpty();
        ProcessHandle first = hosts.host("acme").orElseThrow().running().handle();
        Object echoService = echoServiceId();

        Path v2 = ProbeBundles.write(root.resolve("upload/v2.jar"), "acme", "2.0.0", List.of(Echo.class,
                ReadFile.class));
        try (InputStream in = Files.newInputStream(v2)) {
            bundle.update(in);
        }
        framework.adapt(FrameworkWiring.class).resolveBundles(List.of(bundle));

        await().atMost(Duration.ofSeconds(60)).until(() -> names("acme").equals(new TreeSet<>(List.of("probe.echo",
                "probe.read"))));
        await().atMost(Duration.ofSeconds(10)).until(() -> !first.isAlive());
        // The update's events came together: one new host, and the function it still serves kept its service.
        assertThat(echoServiceId()).isEqualTo(echoService);
        assertThat(call("acme", "probe.echo")).containsKey("pid");
        ProcessHandle second = hosts.host("acme").orElseThrow().running().handle();

        bundle.uninstall();

        await().atMost(Duration.ofSeconds(30)).until(() -> functions("acme").isEmpty() && !second.isAlive());
        assertThat(hosts.host("acme")).isEmpty();
    }

    @Test
    void aBundleNamedLikeAPathIsWrittenInsideItsTenantsDirectory() throws Exception {
        // The verifier refuses such a name on every way in; the feed still never lets a name choose a path, since
        // the jar's directory is bound into the tenant's sandbox.
        Path jar = ProbeBundles.write(root.resolve("upload/odd.jar"), "acme", "../../../escaped/x", "1.0.0",
                List.of(Echo.class));
        install(jar);

        assertThat(names("acme")).contains("probe.echo");
        Path tenantDirectory = hosts.launcher().tenantDirectory("acme");
        try (var files = Files.walk(root); var fed = Files.list(tenantDirectory.resolve("bundles"))) {
            List<Path> written = files.filter(p -> !p.startsWith(root.resolve("upload"))
                    && !p.startsWith(root.resolve("server-cache")) && Files.isRegularFile(p)).toList();
            assertThat(written).isNotEmpty().allSatisfy(p -> assertThat(p).startsWith(tenantDirectory));
            assertThat(fed.toList()).hasSize(1);
        }
    }
}
