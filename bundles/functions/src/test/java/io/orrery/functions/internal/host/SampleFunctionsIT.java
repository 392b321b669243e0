package io.orrery.functions.internal.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample tenant projects' functions, Java (DS components) and Emirax, answered by sandboxed hosts. */
class SampleFunctionsIT {

    @TempDir
    Path root;

    private TenantHost host;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    private TenantHost host(String tenant, String artifact, List<List<String>> served) throws Exception {
        Sandbox sandbox = Sandbox.detect(null);
        assertThat(sandbox.on()).as(sandbox.status()).isTrue();
        HostLauncher launcher = new HostLauncher(HostFixture.settings(root, 64, List.of()), sandbox);
        Path bundles = Files.createDirectories(launcher.tenantDirectory(tenant).resolve("bundles"));
        Path jar = Files.copy(sampleJar(artifact), bundles.resolve(artifact + ".jar"));
        host = HostFixture.host(tenant, launcher, List.of(jar), served);
        return host;
    }

    // The sample bundles are test dependencies of this module: their jars are on the class path.
    private static Path sampleJar(String artifact) {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> Path.of(e).getFileName().toString().startsWith(artifact) && e.endsWith(".jar"))
                .map(Path::of).findFirst()
                .orElseThrow(() -> new AssertionError(artifact + " is not on the test class path"));
    }

    @Test
    void encodeVideosJavaAndEmiraxFunctionsRunInTheHost() throws Exception {
        var served = HostFixture.record();
        TenantHost acme = host("acme", "acme-encode-video", served);

        assertThat(served).containsExactly(List.of("media.assemble", "media.encode", "media.reencode", "media.size",
                "media.split"));
        assertThat(acme.call("media.split", Map.of("uri", "s3://in/v.mov", "count", 2)))
                .isEqualTo(Map.of("parts", List.of("s3://in/v.mov#part-0", "s3://in/v.mov#part-1")));
        assertThat(acme.call("media.encode", Map.of("uri", "s3://in/v.mov#part-0", "recipe", "h264-1080p")))
                .containsKey("uri");
    }

    @Test
    void greetingsEmiraxFunctionBlocksRunInTheHost() throws Exception {
        var served = HostFixture.record();
        TenantHost beta = host("beta", "beta-greeting", served);

        assertThat(served).containsExactly(List.of("text.greet", "text.sign"));
        assertThat(beta.call("text.greet", Map.of("name", "Ann"))).isEqualTo(Map.of("text", "Hello, Ann!"));
        assertThat(beta.call("text.sign", Map.of("team", "Orrery"))).isEqualTo(
                Map.of("signature", "-- the Orrery team"));
    }
}
