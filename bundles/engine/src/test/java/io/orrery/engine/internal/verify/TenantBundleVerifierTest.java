package io.orrery.engine.internal.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.tenant.BundleRejectedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-built tenant bundles against the verification, before anything is installed or loaded. */
class TenantBundleVerifierTest {

    private static final String SCRIPT = "emirax/acme/internal/flow";

    @TempDir
    Path dir;

    private final TenantBundleVerifier verifier = new TenantBundleVerifier(BundleLimits.defaults(),
            ClassFileCheck.standard());

    @Test
    void aHarmlessBundleIsVerifiedWithItsScriptClasses() {
        byte[] jar = HostileJars.jar("acme", "acme.flow").script("emirax.acme.internal.flow",
                HostileJars.harmlessScript(SCRIPT)).entry("emirax/acme/internal/flow$_run_closure1.class",
                HostileJars.harmlessScript(SCRIPT + "$_run_closure1")).bytes();

        VerifiedBundle verified = verify(jar, "acme");

        assertThat(verified.tenant()).isEqualTo("acme");
        assertThat(verified.symbolicName()).isEqualTo("acme.flow");
        assertThat(verified.scriptClasses()).containsOnlyKeys("emirax.acme.internal.flow",
                "emirax.acme.internal.flow$_run_closure1");
    }

    @Test
    void aBundleShapedLikeTheSamplesWithFunctionComponentsIsVerified() {
        byte[] jar = HostileJars.jar("acme", "acme.encode-video")
                .header("Orrery-Function-Components", "OSGI-INF/io.orrery.samples.MediaSplit.xml")
                .header("Orrery-Emirax-Functions", "media.size")
                .header("Orrery-Workflows", "encode-video;version=3")
                .header("Require-Capability", "osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version=17))\"")
                .header("Import-Package", "groovy.lang;version=\"[4.0,5)\",io.orrery.api.function;version=\"[1.0,2)\","
                        + "io.orrery.emirax;version=\"[1.0,2)\",org.codehaus.groovy.runtime;version=\"[4.0,5)\"")
                .header("Bnd-LastModified", "1").header("Tool", "Bnd-6.3.1").header("Created-By", "17")
                .header("Build-Jdk-Spec", "17").header("Bundle-Name", "encode video")
                .script("emirax.acme.internal.flow", HostileJars.harmlessScript(SCRIPT))
                .entry("OSGI-INF/", new byte[0])
                .entry("OSGI-INF/io.orrery.samples.MediaSplit.xml", "<component/>".getBytes())
                .entry("io/orrery/samples/MediaSplit.class", HostileJars.scriptDoingIo("io/orrery/samples/MediaSplit",
                        dir.resolve("never")))
                .entry("META-INF/maven/io.orrery/acme-encode-video/pom.xml", "<project/>".getBytes())
                .bytes();

        assertThat(verify(jar, "acme").scriptClasses()).containsOnlyKeys("emirax.acme.internal.flow");
    }

    @Test
    void headersThatWouldRunOrWireAnythingAreRefusedByName() {
        Map<String, String> refused = Map.ofEntries(Map.entry("Bundle-Activator", "acme.Activator"),
                Map.entry("Service-Component", "OSGI-INF/x.xml"), Map.entry("Export-Package", "emirax.acme"),
                Map.entry("DynamicImport-Package", "*"), Map.entry("Fragment-Host", "io.orrery.engine"),
                Map.entry("Require-Bundle", "io.orrery.engine"), Map.entry("Bundle-NativeCode", "lib/x.so"),
                Map.entry("Bundle-Blueprint", "x.xml"), Map.entry("Web-ContextPath", "/acme"),
                Map.entry("Provide-Capability", "osgi.service;objectClass=x"), Map.entry("X-Anything", "1"),
                Map.entry("Bundle-ActivationPolicy", "lazy"));
        refused.forEach((header, value) -> refusal(HostileJars.jar("acme", "acme.x").header(header, value).bytes(),
                "acme").hasMessageContaining(header).satisfies(e -> assertThat(
                        ((BundleRejectedException) e).field()).isEqualTo(header)));
    }

    @Test
    void importsRequirementsAndClassPathAreRestricted() {
        refusal(HostileJars.jar("acme", "a").header("Import-Package", "groovy.lang,io.orrery.api.store").bytes(),
                "acme").hasMessageContaining("io.orrery.api.store");
        refusal(HostileJars.jar("acme", "a").header("Import-Package", "io.orrery.emirax.internal").bytes(), "acme")
                .hasMessageContaining("io.orrery.emirax.internal");
        refusal(HostileJars.jar("acme", "a").header("Import-Package", "groovy.lang;org.osgi.framework;version=1")
                .bytes(), "acme").hasMessageContaining("org.osgi.framework");
        refusal(HostileJars.jar("acme", "a").header("Require-Capability",
                "osgi.extender;filter:=\"(osgi.extender=osgi.component)\"").bytes(), "acme")
                .hasMessageContaining("osgi.extender");
        refusal(HostileJars.jar("acme", "a").header("Bundle-ClassPath", ".,lib/evil.jar").bytes(), "acme")
                .hasMessageContaining("lib/evil.jar");
        refusal(HostileJars.jar("acme", "a").header("Bundle-ManifestVersion", null).bytes(), "acme")
                .hasMessageContaining("Bundle-ManifestVersion");
    }

    @Test
    void entriesAnExtenderWouldActOnAreRefused() {
        for (String entry : List.of("OSGI-INF/blueprint/beans.xml", "META-INF/services/java.sql.Driver",
                "OSGI-INF/io.orrery.x.xml", "META-INF/versions/17/emirax/acme/internal/flow.class",
                "WEB-INF/web.xml", "osgi-inf/blueprint/beans.xml", "../escape.class", "/absolute.class")) {
            refusal(HostileJars.jar("acme", "a").entry(entry, new byte[] {1}).bytes(), "acme")
                    .hasMessageContaining(entry);
        }
    }

    @Test
    void aSecondManifestIsRefusedWhicheverOneAReaderWouldTake() {
        byte[] jar = HostileJars.twoManifests(Map.of("Manifest-Version", "1.0", "Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "acme.x", "Orrery-Tenant", "acme"), Map.of("Manifest-Version", "1.0",
                "Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "acme.x", "Orrery-Tenant", "beta",
                "Bundle-Activator", "x.A"));

        refusal(jar, "acme").hasMessageContaining("META-INF/MANIFEST.MF more than once");
    }

    @Test
    void aHeaderStatedTwiceIsRefused() {
        byte[] manifest = ("Manifest-Version: 1.0\r\nBundle-ManifestVersion: 2\r\nBundle-SymbolicName: a\r\n"
                + "Orrery-Tenant: acme\r\norrery-tenant: beta\r\n\r\n").getBytes();
        refusal(zip(Map.of(SpooledJar.MANIFEST, manifest)), "acme").hasMessageContaining("more than once");
    }

    @Test
    void aScriptClassWithAStaticInitializerIsRefusedUnloaded() {
        Path marker = dir.resolve("clinit-ran");
        byte[] jar = HostileJars.jar("acme", "a").script("emirax.acme.internal.flow",
                HostileJars.scriptWithStaticInitializer(SCRIPT, marker)).bytes();

        refusal(jar, "acme").hasMessageContaining("emirax.acme.internal.flow: has a static initializer");
        assertThat(marker).doesNotExist();
    }

    @Test
    void aScriptWhoseRunDoesIoIsRefused() {
        byte[] jar = HostileJars.jar("acme", "a").script("emirax.acme.internal.flow",
                HostileJars.harmlessScript(SCRIPT)).entry(SCRIPT + "$_run_closure1.class",
                HostileJars.scriptDoingIo(SCRIPT + "$_run_closure1", dir.resolve("io-ran"))).bytes();

        refusal(jar, "acme").hasMessageContaining("flow$_run_closure1.").hasMessageContaining("(new java/io/File)");
    }

    @Test
    void aScriptMayNotReachAClassOfTheBundleThatIsNotVerified() {
        byte[] jar = HostileJars.jar("acme", "a").script("emirax.acme.internal.flow",
                HostileJars.scriptInstantiating(SCRIPT, "acme/Evil"))
                .entry("acme/Evil.class", HostileJars.activator("acme/Evil", dir.resolve("evil-ran"))).bytes();

        refusal(jar, "acme").hasMessageContaining("refers to acme.Evil, a class of the bundle the server does not "
                + "verify");
    }

    @Test
    void aScriptTheBundleDoesNotHoldIsRefused() {
        refusal(HostileJars.jar("acme", "a").header("Orrery-Emirax-Scripts", "emirax.acme.internal.gone").bytes(),
                "acme").hasMessageContaining("emirax.acme.internal.gone");
    }

    @Test
    void anotherTenantsBundleIsRefused() {
        refusal(HostileJars.jar("beta", "a").bytes(), "acme").hasMessageContaining("'beta'")
                .hasMessageContaining("'acme'");
        refusal(HostileJars.jar("acme", "a").header("Orrery-Tenant", null).bytes(), "acme")
                .hasMessageContaining("no Orrery-Tenant");
    }

    @Test
    void aZipBombIsRefusedByItsRatioBeforeItIsInflated() {
        byte[] bomb = HostileJars.jar("acme", "a").entry("data/zeros.bin", new byte[64 << 20]).bytes();
        assertThat(bomb.length).isLessThan(1 << 20);

        refusal(bomb, "acme").hasMessageContaining("data/zeros.bin").hasMessageContaining("compression ratio");
    }

    @Test
    void parallelDryRunsOfAZipBombDoNotExhaustTheHeap() throws Exception {
        byte[] bomb = HostileJars.jar("acme", "a").entry("a.bin", new byte[100 << 20])
                .entry("b.bin", new byte[100 << 20]).bytes();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Throwable>> runs = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                runs.add(threads.submit((Callable<Throwable>) () -> {
                    try {
                        verify(bomb, "acme");
                        return null;
                    } catch (BundleRejectedException e) {
                        return e;
                    }
                }));
            }
            for (Future<Throwable> r : runs) {
                assertThat(r.get()).isInstanceOf(BundleRejectedException.class)
                        .hasMessageContaining("compression ratio");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void sizeAndCountLimitsAreCountedNotTakenFromTheHeaders() throws IOException {
        var small = new TenantBundleVerifier(new BundleLimits(4 << 20, 1 << 20, 50, 100), ClassFileCheck.standard());
        byte[] random = new byte[600 * 1024];
        new java.util.Random(1).nextBytes(random);
        byte[] big = HostileJars.jar("acme", "a").entry("r1.bin", random).entry("r2.bin", random).bytes();
        assertThatThrownBy(() -> verify(small, big, "acme")).hasMessageContaining("uncompressed size");

        HostileJars many = HostileJars.jar("acme", "a");
        for (int i = 0; i < 51; i++) {
            many.entry("e" + i + ".txt", new byte[0]);
        }
        assertThatThrownBy(() -> verify(small, many.bytes(), "acme")).hasMessageContaining("more than 50 entries");

        byte[] tooBig = new byte[(4 << 20) + 1];
        assertThatThrownBy(() -> SpooledJar.spool(new ByteArrayInputStream(tooBig), small.limits()))
                .hasMessageContaining("compressed size");
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("orrery-upload-"))
                    .filter(p -> p.toFile().length() > (4 << 20))).isEmpty();
        }
    }

    @Test
    void tooManyEntriesUnderTheDefaultLimitIsRefused() {
        HostileJars many = HostileJars.jar("acme", "a");
        for (int i = 0; i <= BundleLimits.defaults().maxEntries(); i++) {
            many.entry("e/" + i, new byte[0]);
        }
        refusal(many.bytes(), "acme").hasMessageContaining("entry count");
    }

    @Test
    void anUploadThatIsNotABundleIsRefusedWithTheReason() {
        assertThatThrownBy(() -> SpooledJar.spool(new ByteArrayInputStream("not a jar".getBytes()),
                BundleLimits.defaults())).isInstanceOf(BundleRejectedException.class).hasMessageContaining("not a jar");
        refusal(zip(Map.of("a.txt", new byte[1])), "acme").hasMessageContaining("no META-INF/MANIFEST.MF");
        refusal(HostileJars.jar("acme", "x").header("Bundle-SymbolicName", null).bytes(), "acme")
                .hasMessageContaining("Bundle-SymbolicName");
    }

    @Test
    void aSymbolicNameThatIsNotAnOsgiNameIsRefused() {
        // Files the server writes for a bundle are named after it: a name with a path in it would point them, and
        // the function host's read-only binds, anywhere.
        for (String name : List.of("../../../orrery/x", "a/b", "..", "a..b", ".a", "a.", "a b", "a\\b")) {
            refusal(HostileJars.jar("acme", name).bytes(), "acme").hasMessageContaining("Bundle-SymbolicName")
                    .hasMessageContaining("not an OSGi symbolic name");
        }
        assertThat(verify(HostileJars.jar("acme", "acme.media-tools_2").bytes(), "acme").symbolicName())
                .isEqualTo("acme.media-tools_2");
    }

    @Test
    void aSymbolicNameOrVersionLongerThanTheCatalogKeepsIsRefusedByName() {
        // Accepted, it installed on this node and then failed to be recorded for the others: a 500, and a cluster
        // whose nodes ran different bundles.
        refusal(HostileJars.jar("acme", "a".repeat(256)).bytes(), "acme").hasMessageContaining("Bundle-SymbolicName")
                .hasMessageContaining("255");
        refusal(HostileJars.jar("acme", "a").header("Bundle-Version", "1.0.0." + "q".repeat(120)).bytes(), "acme")
                .hasMessageContaining("Bundle-Version").hasMessageContaining("100");
        refusal(HostileJars.jar("acme", "a").header("Bundle-Version", "one").bytes(), "acme")
                .hasMessageContaining("Bundle-Version").hasMessageContaining("'one'");
        assertThat(verify(HostileJars.jar("acme", "a".repeat(255)).header("Bundle-Version", "1.2.3.q" + "x".repeat(93))
                .bytes(), "acme").version()).hasSize(100);
    }

    @Test
    void findsAScriptsClassesAmongEntries() {
        List<String> scripts = List.of("emirax.a.internal.flow");
        assertThat(TenantBundleVerifier.scriptClassOf("emirax/a/internal/flow.class", scripts))
                .isEqualTo("emirax.a.internal.flow");
        assertThat(TenantBundleVerifier.scriptClassOf("emirax/a/internal/flow$_run_closure1.class", scripts))
                .isEqualTo("emirax.a.internal.flow$_run_closure1");
        assertThat(TenantBundleVerifier.scriptClassOf("emirax/a/internal/flowers.class", scripts)).isNull();
        assertThat(TenantBundleVerifier.scriptClassOf("emirax/a/internal/flow.groovy", scripts)).isNull();
    }

    private VerifiedBundle verify(byte[] jar, String tenant) {
        return verify(verifier, jar, tenant);
    }

    private static VerifiedBundle verify(TenantBundleVerifier verifier, byte[] jar, String tenant) {
        try (SpooledJar spooled = SpooledJar.spool(new ByteArrayInputStream(jar), verifier.limits())) {
            return verifier.verify(spooled, tenant);
        }
    }

    private AbstractThrowableAssert<?, ? extends Throwable> refusal(byte[] jar, String tenant) {
        return assertThatThrownBy(() -> verify(jar, tenant)).isInstanceOf(BundleRejectedException.class);
    }

    private static byte[] zip(Map<String, byte[]> entries) {
        var out = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
