package io.orrery.samples.encodevideo;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.engine.DeployReport;
import io.orrery.api.engine.DryRunReport;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.function.ExternalCommand;
import io.orrery.api.function.FunctionOutputs;
import io.orrery.api.function.OrreryFunction;
import io.orrery.emirax.testkit.EmiraxTestKit;
import io.orrery.emirax.testkit.WorkflowRun;
import io.orrery.samples.encodevideo.internal.MediaAssemble;
import io.orrery.samples.encodevideo.internal.MediaEncode;
import io.orrery.samples.encodevideo.internal.MediaIndex;
import io.orrery.samples.encodevideo.internal.MediaProbe;
import io.orrery.samples.encodevideo.internal.MediaReencode;
import io.orrery.samples.encodevideo.internal.MediaSplit;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Version 4 over version 3: the new rule fires on instances that version 3 finished, without a new request. */
class EncodeVideoV4Test {

    private static final Path V3 = Path.of("../encode-video/src/main/emirax");
    private static final Path V4 = Path.of("src/main/emirax/encode-video.groovy");

    @TempDir
    static Path media;

    private static String source;

    // Two seconds of ffmpeg's test pattern, made on the spot.
    @BeforeAll
    static void generateTheSource() {
        Path video = media.resolve("testsrc.mp4");
        ExternalCommand.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=duration=2:size=640x360:rate=25", "-pix_fmt", "yuv420p", video.toString())
                .timeout(Duration.ofMinutes(1)).run();
        source = video.toUri().toString();
    }

    private static String outputOf(String job, String file) {
        return FunctionOutputs.forJob(job).resolve(file).toUri().toString();
    }

    private static String codecOf(String uri) {
        return ExternalCommand.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name", "-of", "default=noprint_wrappers=1:nokey=1", Path.of(URI.create(uri)).toString())
                .run().stdout().trim();
    }

    @Test
    void redeployingReencodesVideosThatVersion3Finished() throws IOException {
        try (EmiraxTestKit kit = wired(EmiraxTestKit.fromDirectory(V3).tenant("acme"))) {
            WorkflowRun run = kit.start("encode-video", "v4-video-1",
                    Map.of("source", source, "recipe", "h264-360p", "chunks", 3));
            assertThat(run.output()).as(run.failure()).isEqualTo(Map.of("uri", outputOf("v4-video-1", "output.mp4"),
                    "index", outputOf("v4-video-1", "index.json")));

            List<DryRunReport> dry = kit.dryRun(V4.toString(), Files.readString(V4));
            assertThat(dry).singleElement().satisfies(d -> {
                assertThat(d.fromVersion()).isEqualTo(3);
                assertThat(d.toVersion()).isEqualTo(4);
                assertThat(d.wouldFire()).containsEntry("reencode", 1L).containsEntry("split", 0L)
                        .containsEntry("index", 0L);
            });

            List<DeployReport> deployed = kit.deploy(V4.toString(), Files.readString(V4));

            assertThat(deployed).singleElement().satisfies(d -> {
                assertThat(d.previousVersion()).isEqualTo(3);
                assertThat(d.version()).isEqualTo(4);
                assertThat(d.reevaluated()).isEqualTo(1);
                assertThat(d.fired()).containsEntry("reencode", 1L);
            });
            WorkflowRun after = kit.instance("encode-video", "v4-video-1");
            assertThat(after.status()).isEqualTo(InstanceStatus.IDLE);
            assertThat(after.output()).isEqualTo(Map.of("uri", outputOf("v4-video-1", "output-av1.mp4"),
                    "index", outputOf("v4-video-1", "index.json"), "codec", "av1"));
            assertThat(codecOf((String) after.output().get("uri"))).isEqualTo("av1");
        }
    }

    @Test
    void aNewVideoGoesStraightThroughAllFourRules() {
        try (EmiraxTestKit kit = wired(EmiraxTestKit.fromFiles(V4).tenant("acme"))) {
            WorkflowRun run = kit.start("encode-video", "v4-video-2",
                    Map.of("source", source, "recipe", "h264-360p", "chunks", 2));

            assertThat(run.firedRules()).as(run.failure())
                    .containsExactly("probe", "split", "encode", "assemble", "index", "reencode");
            assertThat(run.output()).containsEntry("codec", "av1");
            assertThat(codecOf((String) run.output().get("uri"))).isEqualTo("av1");
        }
    }

    private static EmiraxTestKit wired(EmiraxTestKit kit) {
        for (OrreryFunction f : List.of(new MediaProbe(), new MediaSplit(), new MediaEncode(), new MediaAssemble(),
                new MediaIndex(), new MediaReencode())) {
            kit.stub(f.name(), args -> {
                try {
                    return f.apply(args);
                } catch (Exception e) {
                    throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
            });
        }
        return kit;
    }
}
