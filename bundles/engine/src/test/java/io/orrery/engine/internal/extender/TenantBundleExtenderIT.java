package io.orrery.engine.internal.extender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.WorkflowSummary;
import io.orrery.api.tenant.BundleDeployment;
import io.orrery.api.tenant.BundleRejectedException;
import io.orrery.engine.internal.EngineCore;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The extender in a real OSGi framework ({@link ExtenderInFelix}): bundles installed from bytes (the REST upload
 * path) or from a file (deploy/, bundle:install), updated in place, stopped and uninstalled, with their scripts
 * loaded through the bundle's own class loader.
 */
class TenantBundleExtenderIT {

    private static final Duration GRACE = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private ExtenderInFelix felix;
    private Framework framework;
    private BundleContext context;
    private EngineCore engine;
    private TenantBundleExtender extender;
    private UploadedBundleDeployer deployer;

    @BeforeEach
    void start() throws Exception {
        felix = new ExtenderInFelix(dir, GRACE);
        framework = felix.framework;
        context = felix.context;
        engine = felix.engine;
        extender = felix.extender;
        deployer = felix.deployer;
    }

    @AfterEach
    void stop() throws Exception {
        felix.close();
    }

    @Test
    void anUploadIsInstalledAndTheNextVersionUpdatesItInPlace() {
        BundleDeployment v1 = deployer.deploy("acme", mark("1.0.0", TenantBundleExtenderTest.MARK_V1));

        assertThat(v1.workflows()).singleElement().satisfies(r -> assertThat(r.version()).isEqualTo(1));
        Bundle bundle = context.getBundle(v1.bundleId());
        assertThat(bundle.getState()).isEqualTo(Bundle.RESOLVED);
        assertThat(bundle.getLocation()).startsWith(UploadedBundleDeployer.LOCATION_PREFIX + "acme/");
        engine.submit(InstanceRequest.of("acme", "mark", "k1", Map.of()));

        BundleDeployment v2 = deployer.deploy("acme", mark("2.0.0", TenantBundleExtenderTest.MARK_V2));

        assertThat(v2.bundleId()).isEqualTo(v1.bundleId());
        assertThat(v2.version()).isEqualTo("2.0.0");
        assertThat(v2.workflows()).singleElement().satisfies(r -> {
            assertThat(r.previousVersion()).isEqualTo(1);
            assertThat(r.reevaluated()).isEqualTo(1);
            assertThat(r.fired()).containsEntry("second", 1L);
        });
        assertThat(state("k1")).containsEntry("second", true);
    }

    @Test
    void aBrokenUploadIsRefusedAndThePreviousVersionKeepsServing() {
        BundleDeployment v1 = deployer.deploy("acme", mark("1.0.0", TenantBundleExtenderTest.MARK_V1));
        byte[] broken = TenantJars.bundle("acme", "acme.mark", "2.0.0")
                .source("mark.groovy", "workflow('mark') {\n    version 2\n    rule('x') { }\n}\n")
                .header(TenantManifest.WORKFLOWS, "mark;version=2").bytes();

        assertThatThrownBy(() -> deployer.deploy("acme", broken))
                .isInstanceOf(BundleRejectedException.class).hasMessageContaining("rule x: needs a match");

        assertThat(context.getBundle(v1.bundleId()).getVersion().toString()).isEqualTo("1.0.0");
        assertThat(engine.workflows("acme")).extracting(WorkflowSummary::version).containsExactly(1);
    }

    @Test
    void anUpdateThatCannotResolveIsRolledBackWhileThePreviousVersionServes() {
        BundleDeployment v1 = deployer.deploy("acme", mark("1.0.0", TenantBundleExtenderTest.MARK_V1));
        byte[] unresolvable = TenantBundleExtenderTest.mark("acme", TenantBundleExtenderTest.MARK_V2)
                .header("Bundle-Version", "2.0.0").header("Import-Package", "com.example.missing").bytes();

        assertThatThrownBy(() -> deployer.deploy("acme", unresolvable))
                .isInstanceOf(BundleRejectedException.class).hasMessageContaining("com.example.missing");
        assertThat(engine.workflows("acme")).extracting(WorkflowSummary::version).containsExactly(1);

        Bundle bundle = context.getBundle(v1.bundleId());
        await().atMost(Duration.ofSeconds(30)).until(() -> bundle.getState() == Bundle.RESOLVED
                && extender.verdicts().last(v1.bundleId()).map(DeployVerdict::accepted).orElse(false));
        assertThat(bundle.getVersion().toString()).isEqualTo("1.0.0");
        engine.submit(InstanceRequest.of("acme", "mark", "k2", Map.of()));
        assertThat(state("k2")).containsEntry("first", true).doesNotContainKey("second");
    }

    @Test
    void anotherTenantsBundleIsRefusedBeforeAnythingIsInstalled() {
        int before = context.getBundles().length;

        assertThatThrownBy(() -> deployer.deploy("beta", mark("1.0.0", TenantBundleExtenderTest.MARK_V1)))
                .isInstanceOfSatisfying(BundleRejectedException.class,
                        e -> assertThat(e.field()).isEqualTo(TenantManifest.TENANT));

        assertThat(context.getBundles()).hasSize(before);
        assertThat(engine.workflows("beta")).isEmpty();
    }

    @Test
    void aBundleInstalledFromAFileIsDeployedAndGoesWhenUninstalled() throws Exception {
        Path jar = Files.write(dir.resolve("acme-mark.jar"), mark("1.0.0", TenantBundleExtenderTest.MARK_V2));
        Bundle bundle = context.installBundle(jar.toUri().toString());
        DroppedBundles.start(bundle);

        await().atMost(Duration.ofSeconds(30)).until(() -> engine.workflows("acme").size() == 1);
        // Its Emirax function is served by the tenant's function host (orrery-functions), not by this engine.
        assertThat(engine.registry().function("acme", "text.shout")).isEmpty();

        bundle.uninstall();

        await().atMost(Duration.ofSeconds(30)).until(() -> engine.workflows("acme").isEmpty());
    }

    @Test
    void aTenantBundleIsNeverStartedAndStoppingItChangesNothing() throws Exception {
        BundleDeployment v1 = deployer.deploy("acme", mark("1.0.0", TenantBundleExtenderTest.MARK_V1));
        Bundle bundle = context.getBundle(v1.bundleId());
        assertThat(bundle.getState()).isEqualTo(Bundle.RESOLVED);

        bundle.start();
        bundle.stop();

        await().during(GRACE.multipliedBy(2)).atMost(GRACE.multipliedBy(4))
                .until(() -> engine.workflows("acme").size() == 1);
    }

    @Test
    void aRefreshedTenantBundleIsResolvedAgainAndKeepsServing() throws Exception {
        BundleDeployment v1 = deployer.deploy("acme", mark("1.0.0", TenantBundleExtenderTest.MARK_V1));
        Bundle bundle = context.getBundle(v1.bundleId());

        framework.adapt(FrameworkWiring.class).refreshBundles(List.of(bundle));

        await().atMost(Duration.ofSeconds(30)).until(() -> bundle.getState() == Bundle.RESOLVED
                && extender.verdicts().recent("acme").size() == 2);
        await().during(GRACE.multipliedBy(2)).atMost(GRACE.multipliedBy(4))
                .until(() -> engine.workflows("acme").size() == 1);
    }

    @Test
    void aBundleInstalledWithoutStartIsVerifiedResolvedAndDeployed() throws Exception {
        Path jar = Files.write(dir.resolve("acme-mark.jar"), mark("1.0.0", TenantBundleExtenderTest.MARK_V1));

        Bundle bundle = context.installBundle(jar.toUri().toString());

        await().atMost(Duration.ofSeconds(30)).until(() -> engine.workflows("acme").size() == 1);
        assertThat(bundle.getState()).isEqualTo(Bundle.RESOLVED);
    }

    @Test
    void aHundredUploadAndUninstallCyclesLeaveNoBundleClassLoaderBehind() throws Exception {
        byte[] v1 = mark("1.0.0", TenantBundleExtenderTest.MARK_V1);
        byte[] v2 = mark("2.0.0", TenantBundleExtenderTest.MARK_V2);
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            BundleDeployment d = deployer.deploy("acme", i % 2 == 0 ? v1 : v2);
            Bundle bundle = context.getBundle(d.bundleId());
            loaders.add(new WeakReference<>(bundle.adapt(BundleWiring.class).getClassLoader()));
            engine.submit(InstanceRequest.of("acme", "mark", "k" + i, Map.of()));
            bundle.uninstall();
            refresh();
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.workflows("acme").isEmpty());
        }

        // See TenantBundleLeakTest: the last revision of each source may stay in a JDK method-handle cache.
        List<WeakReference<ClassLoader>> early = loaders.subList(0, loaders.size() - 2);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            System.gc();
            return early.stream().allMatch(r -> r.get() == null);
        });
    }

    private void refresh() throws InterruptedException {
        var done = new CountDownLatch(1);
        framework.adapt(FrameworkWiring.class).refreshBundles(null, e -> {
            if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    }

    private static byte[] mark(String version, String source) {
        return TenantJars.bundle("acme", "acme.mark", version).source("mark.groovy", source).bytes();
    }

    private Map<String, Object> state(String key) {
        return engine.find(new InstanceId("acme", "mark", key)).map(InstanceView::state).orElseThrow();
    }
}
