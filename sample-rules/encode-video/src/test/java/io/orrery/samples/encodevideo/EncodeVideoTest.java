package io.orrery.samples.encodevideo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.engine.FiringKind;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InvalidInputException;
import io.orrery.emirax.testkit.EmiraxTestKit;
import io.orrery.emirax.testkit.FunctionCall;
import io.orrery.emirax.testkit.WorkflowRun;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The encode-video workflow run to completion on the test kit, with this bundle's Java functions. */
class EncodeVideoTest {

    private static EmiraxTestKit kit() {
        return JavaFunctions.wired(EmiraxTestKit.fromDirectory(Path.of("src/main/emirax")).tenant("acme"));
    }

    @Test
    void splitsEncodesEveryChunkAndAssembles() {
        try (EmiraxTestKit kit = kit()) {
            WorkflowRun run = kit.start("encode-video", "video-1",
                    Map.of("source", "s3://in/video-1.mp4", "recipe", "h264"));

            assertThat(run.status()).isEqualTo(InstanceStatus.IDLE);
            assertThat(run.output()).isEqualTo(Map.of("uri", "s3://in/video-1.mp4.encoded-31-parts.mp4"));
            assertThat(run.firedRules()).containsExactly("split", "encode", "assemble");
            assertThat(run.count("encode", FiringKind.REACTION)).isEqualTo(31);
            assertThat(kit.calls("media.encode")).extracting(FunctionCall::key)
                    .contains("s3://in/video-1.mp4#part-0", "s3://in/video-1.mp4#part-30").hasSize(31);
        }
    }

    @Test
    void takesTheChunkCountFromTheInput() {
        try (EmiraxTestKit kit = kit()) {
            WorkflowRun run = kit.start("encode-video", "video-2",
                    Map.of("source", "s3://in/video-2.mp4", "recipe", "vp9", "chunks", 4));

            assertThat(run.output()).containsEntry("uri", "s3://in/video-2.mp4.encoded-4-parts.mp4");
            assertThat(run.count("encode", FiringKind.REACTION)).isEqualTo(4);
        }
    }

    @Test
    void aFailedSplitFailsTheInstanceWithItsReason() {
        try (EmiraxTestKit kit = kit().failing("media.split", "source not found")) {
            WorkflowRun run = kit.start("encode-video", "video-3",
                    Map.of("source", "s3://in/missing.mp4", "recipe", "h264"));

            assertThat(run.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(run.failure()).contains("split failed: source not found");
        }
    }

    @Test
    void refusesInputWithoutARecipe() {
        try (EmiraxTestKit kit = kit()) {
            assertThatThrownBy(() -> kit.start("encode-video", "video-4", Map.of("source", "s3://in/v.mp4")))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("recipe"));
        }
    }
}
