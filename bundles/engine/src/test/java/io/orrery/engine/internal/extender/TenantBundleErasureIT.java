package io.orrery.engine.internal.extender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.WorkflowSummary;
import io.orrery.api.tenant.BundleDeployment;
import io.orrery.engine.internal.catalog.OsgiNodeBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/**
 * Deleting a tenant in a real OSGi framework ({@link ExtenderInFelix}): every bundle whose {@code Orrery-Tenant}
 * names it goes, uploaded, dropped in {@code deploy/} (whose file goes too, or FileInstall would install it again
 * at the next start) or {@code bundle:install}ed; a tenant re-created under the same name inherits nothing.
 */
class TenantBundleErasureIT {

    @TempDir
    Path dir;

    private ExtenderInFelix felix;
    private Path deploy;
    private OsgiNodeBundles node;

    @BeforeEach
    void start() throws Exception {
        felix = new ExtenderInFelix(dir, Duration.ofSeconds(1));
        deploy = Files.createDirectories(dir.resolve("deploy"));
        node = new OsgiNodeBundles(felix.context, felix.deployer, deploy);
    }

    @AfterEach
    void stop() throws Exception {
        felix.close();
    }

    @Test
    void everyBundleOfTheTenantGoesHoweverItWasInstalledAndARecreatedTenantInheritsNothing() throws Exception {
        felix.deployer.deploy("acme", workflow("acme", "acme.uploaded", "uploaded"));
        Path dropped = Files.write(deploy.resolve("acme-dropped.jar"), workflow("acme", "acme.dropped", "dropped"));
        Path elsewhere = Files.write(Files.createDirectories(dir.resolve("elsewhere")).resolve("acme-installed.jar"),
                workflow("acme", "acme.installed", "installed"));
        Path betas = Files.write(deploy.resolve("beta-dropped.jar"), workflow("beta", "beta.dropped", "dropped"));
        for (Path jar : new Path[] {dropped, elsewhere, betas}) {
            install(jar);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> felix.engine.workflows("acme").size() == 3
                && felix.engine.workflows("beta").size() == 1);

        assertThat(node.uninstallTenant("acme")).isEqualTo(3);

        assertThat(bundlesOf("acme")).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> felix.engine.workflows("acme").isEmpty());
        assertThat(dropped).as("FileInstall would install it again").doesNotExist();
        assertThat(elsewhere).as("a file outside deploy/ is the administrator's").exists();
        assertThat(betas).exists();
        assertThat(bundlesOf("beta")).isEqualTo(1);
        assertThat(felix.engine.workflows("beta")).extracting(WorkflowSummary::name).containsExactly("dropped");

        BundleDeployment fresh = felix.deployer.deploy("acme", workflow("acme", "acme.fresh", "fresh"));
        assertThat(fresh.workflows()).singleElement().satisfies(r -> assertThat(r.previousVersion()).isZero());
        assertThat(felix.engine.workflows("acme")).extracting(WorkflowSummary::name).containsExactly("fresh");
    }

    private void install(Path jar) {
        Bundle bundle;
        try {
            bundle = felix.context.installBundle(jar.toUri().toString());
        } catch (BundleException e) {
            throw new IllegalStateException(e);
        }
        DroppedBundles.start(bundle);
    }

    private long bundlesOf(String tenant) {
        return Arrays.stream(felix.context.getBundles()).filter(b -> b.getState() != Bundle.UNINSTALLED)
                .filter(b -> tenant.equals(b.getHeaders("").get("Orrery-Tenant"))).count();
    }

    private static byte[] workflow(String tenant, String symbolicName, String name) {
        return TenantJars.bundle(tenant, symbolicName, "1.0.0").source(name + ".groovy",
                TenantBundleExtenderTest.MARK_V1.replace("'mark'", "'" + name + "'")).bytes();
    }
}
