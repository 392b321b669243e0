package io.orrery.functions.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.function.ExternalCommand;
import io.orrery.api.function.FunctionFailure;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample tenant projects' functions, Java (DS components) and Emirax, answered by sandboxed hosts; the media
 * functions run Debian's ffmpeg inside the sandbox.
 */
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

    private HostLauncher launcher;

    private TenantHost host(String tenant, String artifact, List<List<String>> served) throws Exception {
        return host(tenant, artifact, served, List.of());
    }

    private TenantHost host(String tenant, String artifact, List<List<String>> served, List<Path> hidden)
            throws Exception {
        Sandbox sandbox = Sandbox.detect(null);
        assertThat(sandbox.on()).as(sandbox.status()).isTrue();
        launcher = new HostLauncher(HostFixture.settings(root, 64, hidden), sandbox);
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

        assertThat(served).containsExactly(List.of("media.assemble", "media.encode", "media.index", "media.probe",
                "media.reencode", "media.size", "media.split"));
        assertThat(acme.call("media.size", Map.of("uri", "/nonexistent"))).containsKey("bytes");
    }

    // ffmpeg runs inside the sandbox, reads a source the sandbox shows (the system, read-only) and writes only into
    // the tenant's outputs directory, which outlives the host.
    @Test
    void ffmpegRunsInTheSandboxFromTheSourceToThePlayableOutput() throws Exception {
        Path source = testVideo(root.resolve("media"), 2);
        TenantHost acme = host("acme", "acme-encode-video", HostFixture.record());
        Path outputs = launcher.outputs("acme");

        assertThat(acme.call("media.probe", Map.of("uri", source.toUri().toString())))
                .containsEntry("codec", "h264").containsEntry("width", 640).containsEntry("height", 360);
        @SuppressWarnings("unchecked")
        List<String> parts = (List<String>) acme.call("media.split", Map.of("uri", source.toString(), "count", 2,
                "job", "video-1")).get("parts");
        assertThat(parts).containsExactly(outputs.resolve("video-1/chunks/chunk-0000.mp4").toUri().toString(),
                outputs.resolve("video-1/chunks/chunk-0001.mp4").toUri().toString());
        List<String> encoded = new java.util.ArrayList<>();
        for (String part : parts) {
            encoded.add((String) acme.call("media.encode", Map.of("uri", part, "recipe", "h264-360p", "job",
                    "video-1")).get("uri"));
        }
        String output = (String) acme.call("media.assemble", Map.of("parts", encoded, "job", "video-1")).get("uri");

        assertThat(output).isEqualTo(outputs.resolve("video-1/output.mp4").toUri().toString());
        acme.close();
        host = null;
        assertThat(Files.size(outputs.resolve("video-1/output.mp4"))).as("kept after the host ended").isPositive();
        try (var beside = Files.list(source.getParent())) {
            assertThat(beside).as("nothing written beside the source").containsExactly(source);
        }
    }

    @Test
    void aSourceInADirectoryTheSandboxHidesIsNotReadable() throws Exception {
        Path secret = testVideo(root.resolve("secret"), 1);
        TenantHost acme = host("acme", "acme-encode-video", HostFixture.record(), List.of(root.resolve("secret")));

        assertThatThrownBy(() -> acme.call("media.probe", Map.of("uri", secret.toString())))
                .isInstanceOf(FunctionFailure.class)
                .hasMessageContaining("argument 'uri': " + secret + " is not a readable file");
    }

    private static Path testVideo(Path dir, int seconds) throws Exception {
        Files.createDirectories(dir);
        Path video = dir.resolve("testsrc-" + seconds + "s.mp4");
        ExternalCommand.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=duration=" + seconds + ":size=640x360:rate=25", "-pix_fmt", "yuv420p", video.toString())
                .timeout(Duration.ofMinutes(1)).run();
        return video;
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
