package io.orrery.samples.encodevideo;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.engine.DeployReport;
import io.orrery.api.engine.DryRunReport;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.function.OrreryFunction;
import io.orrery.emirax.testkit.EmiraxTestKit;
import io.orrery.emirax.testkit.WorkflowRun;
import io.orrery.samples.encodevideo.internal.MediaAssemble;
import io.orrery.samples.encodevideo.internal.MediaEncode;
import io.orrery.samples.encodevideo.internal.MediaReencode;
import io.orrery.samples.encodevideo.internal.MediaSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Version 4 over version 3: the new rule fires on instances that version 3 finished, without a new request. */
class EncodeVideoV4Test {

    private static final Path V3 = Path.of("../encode-video/src/main/emirax");
    private static final Path V4 = Path.of("src/main/emirax/encode-video.groovy");

    @Test
    void redeployingReencodesVideosThatVersion3Finished() throws IOException {
        try (EmiraxTestKit kit = wired(EmiraxTestKit.fromDirectory(V3).tenant("acme"))) {
            WorkflowRun run = kit.start("encode-video", "video-1",
                    Map.of("source", "s3://in/video-1.mp4", "recipe", "h264", "chunks", 3));
            assertThat(run.output()).isEqualTo(Map.of("uri", "s3://in/video-1.mp4.encoded-3-parts.mp4"));

            List<DryRunReport> dry = kit.dryRun(V4.toString(), Files.readString(V4));
            assertThat(dry).singleElement().satisfies(d -> {
                assertThat(d.fromVersion()).isEqualTo(3);
                assertThat(d.toVersion()).isEqualTo(4);
                assertThat(d.wouldFire()).containsEntry("reencode", 1L).containsEntry("split", 0L);
            });

            List<DeployReport> deployed = kit.deploy(V4.toString(), Files.readString(V4));

            assertThat(deployed).singleElement().satisfies(d -> {
                assertThat(d.previousVersion()).isEqualTo(3);
                assertThat(d.version()).isEqualTo(4);
                assertThat(d.reevaluated()).isEqualTo(1);
                assertThat(d.fired()).containsEntry("reencode", 1L);
            });
            WorkflowRun after = kit.instance("encode-video", "video-1");
            assertThat(after.status()).isEqualTo(InstanceStatus.IDLE);
            assertThat(after.output())
                    .isEqualTo(Map.of("uri", "s3://in/video-1.mp4.encoded-3-parts.mp4.av1", "codec", "av1"));
        }
    }

    @Test
    void aNewVideoGoesStraightThroughAllFourRules() {
        try (EmiraxTestKit kit = wired(EmiraxTestKit.fromFiles(V4).tenant("acme"))) {
            WorkflowRun run = kit.start("encode-video", "video-2",
                    Map.of("source", "s3://in/video-2.mp4", "recipe", "h264", "chunks", 2));

            assertThat(run.firedRules()).containsExactly("split", "encode", "assemble", "reencode");
            assertThat(run.output()).containsEntry("codec", "av1");
        }
    }

    private static EmiraxTestKit wired(EmiraxTestKit kit) {
        for (OrreryFunction f : List.of(new MediaSplit(), new MediaEncode(), new MediaAssemble(), new MediaReencode())) {
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
