package io.orrery.engine.internal.extender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.orrery.api.tenant.BundleDeployment;
import io.orrery.api.tenant.BundleRejectedException;
import io.orrery.engine.internal.verify.HostileJars;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/**
 * Hostile tenant bundles on every deploy path — the REST upload, a jar dropped in {@code deploy/} (installed from
 * its file and started, as Felix File Install does), {@code bundle:install} (installed, not started) — each refused
 * with a reason naming what is wrong, leaving no marker of its code having run and no bundle installed.
 */
class TenantBundleRefusalIT {

    private static final String SCRIPT = "emirax/acme/internal/evil";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private ExtenderInFelix felix;
    private Path marker;

    @BeforeEach
    void start() throws Exception {
        felix = new ExtenderInFelix(dir, Duration.ofSeconds(1));
        marker = dir.resolve("tenant-code-ran");
    }

    @AfterEach
    void stop() throws Exception {
        felix.close();
    }

    @Test
    void aBundleActivatorNeverRuns() throws Exception {
        byte[] jar = HostileJars.jar("acme", "acme.activator").header("Bundle-Activator", "acme.Activator")
                .header("Import-Package", "org.osgi.framework")
                .entry("acme/Activator.class", HostileJars.activator("acme/Activator", marker)).bytes();

        refusedEverywhere(jar, "Bundle-Activator");
    }

    @Test
    void aScriptsStaticInitializerNeverRuns() throws Exception {
        byte[] jar = HostileJars.jar("acme", "acme.clinit").script("emirax.acme.internal.evil",
                HostileJars.scriptWithStaticInitializer(SCRIPT, marker)).bytes();

        refusedEverywhere(jar, "static initializer");
    }

    @Test
    void aScriptWhoseRunDoesIoNeverRuns() throws Exception {
        byte[] jar = HostileJars.jar("acme", "acme.io").script("emirax.acme.internal.evil",
                HostileJars.scriptDoingIo(SCRIPT, marker)).bytes();

        refusedEverywhere(jar, "(new java/io/File)");
    }

    @Test
    void headersThatWouldRunOrWireAnythingAreRefusedOnEveryPath() throws Exception {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("Service-Component", "OSGI-INF/acme.Component.xml");
        refused.put("Export-Package", "emirax.acme.internal");
        refused.put("DynamicImport-Package", "*");
        for (var h : refused.entrySet()) {
            byte[] jar = HostileJars.jar("acme", "acme.headers").header(h.getKey(), h.getValue())
                    .entry("OSGI-INF/acme.Component.xml", "<component/>".getBytes()).bytes();
            refusedEverywhere(jar, h.getKey());
        }
    }

    @Test
    void aFragmentIsRefusedAndNeverAttaches() throws Exception {
        // A framework extension is refused before it is installed; installed (deploy/), Felix would attach it
        // whatever a resolver hook says, so only the upload path can stop one.
        byte[] extension = HostileJars.jar("acme", "acme.extension")
                .header("Fragment-Host", "system.bundle;extension:=framework").bytes();
        int before = felix.context.getBundles().length;
        assertThatThrownBy(() -> felix.deployer.deploy("acme", extension)).hasMessageContaining("Fragment-Host");
        assertThat(felix.context.getBundles()).hasSize(before);

        byte[] jar = HostileJars.jar("acme", "acme.fragment").header("Fragment-Host", "org.apache.groovy").bytes();
        assertThatThrownBy(() -> felix.deployer.deploy("acme", jar)).hasMessageContaining("Fragment-Host");
        Bundle bundle = felix.context.installBundle(Files.write(dir.resolve("fragment.jar"), jar).toUri().toString());

        await().atMost(WAIT).untilAsserted(() -> assertThat(felix.extender.verdicts().recent("acme"))
                .anySatisfy(v -> assertThat(v.field()).isEqualTo("Fragment-Host")));
        felix.tracking.resolve(bundle);
        assertThat(bundle.getState()).isEqualTo(Bundle.INSTALLED);
    }

    @Test
    void blueprintAndServiceLoaderEntriesAreRefused() throws Exception {
        refusedEverywhere(HostileJars.jar("acme", "acme.bp").entry("OSGI-INF/blueprint/beans.xml",
                "<blueprint/>".getBytes()).bytes(), "OSGI-INF/blueprint/");
        refusedEverywhere(HostileJars.jar("acme", "acme.spi").entry("META-INF/services/java.sql.Driver",
                "acme.Driver".getBytes()).bytes(), "META-INF/services/");
    }

    @Test
    void aSecondManifestIsRefused() throws Exception {
        Map<String, String> acme = Map.of("Manifest-Version", "1.0", "Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "acme.twice", "Orrery-Tenant", "acme");
        Map<String, String> other = new LinkedHashMap<>(acme);
        other.put("Bundle-Activator", "acme.Activator");

        // The framework keeps one of the two (here the second) and the gate judges that one.
        refusedEverywhere(HostileJars.twoManifests(acme, other), "more than once", "Bundle-Activator");
    }

    @Test
    void aZipBombAndTooManyEntriesAreRefusedByTheirLimits() throws Exception {
        byte[] zeros = new byte[64 << 20];
        // The framework does not tell an installed entry's compressed size: there the inflated total stops it.
        refusedEverywhere(HostileJars.jar("acme", "acme.bomb").entry("a.bin", zeros).entry("b.bin", zeros)
                .entry("c.bin", zeros).bytes(), "compression ratio", "uncompressed size");
        HostileJars many = HostileJars.jar("acme", "acme.many");
        for (int i = 0; i <= 10_000; i++) {
            many.entry("e/" + i, new byte[0]);
        }
        refusedEverywhere(many.bytes(), "entry count");
    }

    @Test
    void anUploadIsCheckedAgainstTheInstalledBundlesOwnHeaders() throws Exception {
        byte[] acme = TenantJars.bundle("acme", "acme.mark", "1.0.0")
                .source("mark.groovy", TenantBundleExtenderTest.MARK_V1).bytes();

        Bundle bundle = felix.context.installBundle(UploadedBundleDeployer.LOCATION_PREFIX + "beta/acme.mark",
                new ByteArrayInputStream(acme));

        assertThat(felix.tracking.gate().verdict(bundle)).hasValueSatisfying(v -> assertThat(v)
                .hasValueSatisfying(e -> assertThat(e).hasMessageContaining("sent for 'beta'")));
        assertThat(felix.tracking.resolve(bundle)).isFalse();
        assertThat(bundle.getState()).isEqualTo(Bundle.INSTALLED);
        assertThat(felix.engine.workflows("acme")).isEmpty();
        assertThat(felix.engine.workflows("beta")).isEmpty();

        Bundle headerless = felix.context.installBundle(UploadedBundleDeployer.LOCATION_PREFIX + "beta/plain",
                new ByteArrayInputStream(HostileJars.jar("beta", "plain").header("Orrery-Tenant", null).bytes()));
        assertThat(felix.tracking.resolve(headerless)).isFalse();
        await().atMost(WAIT).untilAsserted(() -> assertThat(felix.extender.verdicts().recent("beta"))
                .anySatisfy(v -> assertThat(v.reason()).contains("no Orrery-Tenant")));
    }

    @Test
    void aBundleShapedLikeTheSamplesDeploysOnEveryPath() throws Exception {
        TenantJars sample = TenantJars.bundle("acme", "acme.sample", "1.0.0")
                .source("mark.groovy", TenantBundleExtenderTest.MARK_V2)
                .header("Orrery-Function-Components", "OSGI-INF/io.orrery.samples.MediaSplit.xml")
                .header("Orrery-Emirax-Functions", "media.size")
                .header("Require-Capability", "osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version=17))\"")
                .header("Bnd-LastModified", "1").header("Tool", "Bnd-6.3.1").header("Created-By", "Maven")
                .entry("OSGI-INF/io.orrery.samples.MediaSplit.xml", "<component/>".getBytes())
                .entry("io/orrery/samples/MediaSplit.class", HostileJars.scriptDoingIo("io/orrery/samples/MediaSplit",
                        marker))
                .entry("META-INF/maven/io.orrery/acme-sample/pom.xml", "<project/>".getBytes());

        BundleDeployment deployed = felix.deployer.deploy("acme", sample.bytes());
        assertThat(deployed.workflows()).singleElement().satisfies(r -> assertThat(r.version()).isEqualTo(2));
        felix.context.getBundle(deployed.bundleId()).uninstall();
        await().atMost(WAIT).until(() -> felix.engine.workflows("acme").isEmpty());

        Bundle dropped = felix.context.installBundle(Files.write(dir.resolve("sample.jar"), sample.bytes()).toUri()
                .toString());
        DroppedBundles.start(dropped);
        await().atMost(WAIT).until(() -> felix.engine.workflows("acme").size() == 1);
        assertThat(marker).doesNotExist();
    }

    @Test
    void theSampleRulesStillDeployAndUpdate() throws Exception {
        Path samples = Path.of("../../sample-rules");
        for (String[] s : new String[][] {{"acme", "acme.encode-video", "3.0.0", "encode-video"},
                {"acme", "acme.encode-video", "4.0.0", "encode-video-v4"}, {"beta", "beta.greeting", "1.0.0",
                "greeting"}}) {
            TenantJars jar = TenantJars.bundle(s[0], s[1], s[2])
                    .header("Require-Capability", "osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version=17))\"");
            try (var sources = Files.list(samples.resolve(s[3]).resolve("src/main/emirax"))) {
                for (Path source : sources.sorted().toList()) {
                    jar.source(source.getFileName().toString(), Files.readString(source));
                }
            }

            BundleDeployment deployed = felix.deployer.deploy(s[0], jar.bytes());

            assertThat(deployed.version()).isEqualTo(s[2]);
            assertThat(deployed.workflows()).isNotEmpty();
        }
        assertThat(felix.engine.workflows("acme")).singleElement().satisfies(w -> assertThat(w.version()).isEqualTo(4));
    }

    @Test
    void oneTenantsSlowDeployDoesNotHoldUpAnothers() throws Exception {
        felix.hold("acme");
        var acme = CompletableFuture.supplyAsync(() -> felix.deployer.deploy("acme", TenantJars.bundle("acme",
                "acme.mark", "1.0.0").source("mark.groovy", TenantBundleExtenderTest.MARK_V1).bytes()));
        assertThat(felix.awaitHolding()).isTrue();

        BundleDeployment beta = CompletableFuture.supplyAsync(() -> felix.deployer.deploy("beta",
                TenantJars.bundle("beta", "beta.mark", "1.0.0").source("mark.groovy",
                        TenantBundleExtenderTest.MARK_V1).bytes())).get(30, TimeUnit.SECONDS);

        assertThat(beta.workflows()).hasSize(1);
        assertThat(acme).isNotDone();
        felix.release();
        assertThat(acme.get(30, TimeUnit.SECONDS).workflows()).hasSize(1);
    }

    private void refusedEverywhere(byte[] jar, String reason) throws Exception {
        refusedEverywhere(jar, reason, reason);
    }

    /** REST upload, deploy/ (install from file and start), bundle:install (install from file). */
    private void refusedEverywhere(byte[] jar, String uploadReason, String reason) throws Exception {
        int before = felix.context.getBundles().length;
        assertThatThrownBy(() -> felix.deployer.deploy("acme", jar)).isInstanceOf(BundleRejectedException.class)
                .hasMessageContaining(uploadReason);
        assertThat(felix.context.getBundles()).hasSize(before);

        Path file = Files.write(dir.resolve("dropped-" + System.nanoTime() + ".jar"), jar);
        for (boolean start : new boolean[] {true, false}) {
            long since = System.currentTimeMillis();
            Bundle bundle = felix.context.installBundle(file.toUri().toString());
            if (start) {
                assertThat(catchThrowable(bundle::start)).isInstanceOfAny(BundleException.class,
                        IllegalStateException.class);
            }
            await().atMost(WAIT).until(() -> bundle.getState() == Bundle.UNINSTALLED);
            assertThat(felix.extender.verdicts().recent("acme")).anySatisfy(v -> {
                assertThat(v.accepted()).isFalse();
                assertThat(v.at().toEpochMilli()).isGreaterThanOrEqualTo(since - 1000);
                assertThat(v.reason()).contains(reason);
            });
        }
        assertThat(Arrays.stream(felix.context.getBundles()).filter(TenantBundleGate::isTenantBundle)).isEmpty();
        assertThat(marker).doesNotExist();
        assertThat(felix.engine.workflows("acme")).isEmpty();
    }
}
