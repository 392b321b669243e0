package io.orrery.samples.encodevideo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orrery.api.engine.FiringKind;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InvalidInputException;
import io.orrery.api.function.ExternalCommand;
import io.orrery.api.function.FunctionOutputs;
import io.orrery.emirax.testkit.EmiraxTestKit;
import io.orrery.emirax.testkit.FunctionCall;
import io.orrery.emirax.testkit.WorkflowRun;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encode-video workflow run to completion on the test kit, with this bundle's Java functions on real ffmpeg. */
class EncodeVideoTest {

    @TempDir
    static Path media;

    private static Path fourSeconds;

    @BeforeAll
    static void generateTheSource() {
        fourSeconds = JavaFunctions.testVideo(media, 4);
    }

    private static EmiraxTestKit kit() {
        return JavaFunctions.wired(EmiraxTestKit.fromDirectory(Path.of("src/main/emirax")).tenant("acme"));
    }

    @Test
    void splitsEncodesEveryChunkAssemblesAndIndexes() throws IOException {
        try (EmiraxTestKit kit = kit()) {
            WorkflowRun run = kit.start("encode-video", "video-1",
                    Map.of("source", fourSeconds.toUri().toString(), "recipe", "h264-360p", "chunks", 4));

            assertThat(run.status()).as(run.failure()).isEqualTo(InstanceStatus.IDLE);
            assertThat(run.firedRules()).containsExactly("probe", "split", "encode", "assemble", "index");
            assertThat(run.count("encode", FiringKind.REACTION)).isEqualTo(4);
            Path job = FunctionOutputs.forJob("video-1");
            assertThat(run.output()).isEqualTo(Map.of("uri", job.resolve("output.mp4").toUri().toString(),
                    "index", job.resolve("index.json").toUri().toString()));

            Path output = Path.of(URI.create((String) run.output().get("uri")));
            assertThat(Double.parseDouble(JavaFunctions.probe(output, "format=duration"))).isCloseTo(4.0, within(0.1));
            assertThat(JavaFunctions.probe(output, "stream=codec_name,height")).isEqualTo("h264\n360");

            JsonNode index = new ObjectMapper().readTree(Path.of(URI.create((String) run.output().get("index")))
                    .toFile());
            assertThat(index.get("recipe").asText()).isEqualTo("h264-360p");
            assertThat(index.get("duration").asDouble()).isCloseTo(4.0, within(0.1));
            List<JsonNode> chunks = new ArrayList<>();
            index.get("chunks").forEach(chunks::add);
            assertThat(chunks).hasSize(4);
            double offset = 0;
            for (JsonNode c : chunks) {
                assertThat(c.get("offset").asDouble()).isCloseTo(offset, within(0.001));
                assertThat(c.get("duration").asDouble()).isCloseTo(1.0, within(0.1));
                assertThat(c.get("encodeEnded").asLong()).isGreaterThanOrEqualTo(c.get("encodeStarted").asLong());
                offset += c.get("duration").asDouble();
            }
        }
    }

    @Test
    void everyChunkStartsWithAKeyframeAndTheChunksHoldEveryFrame() {
        try (EmiraxTestKit kit = kit()) {
            kit.start("encode-video", "video-2", Map.of("source", fourSeconds.toString(), "recipe", "h264-360p",
                    "chunks", 3));

            List<Path> chunks = kit.calls("media.encode").stream()
                    .map(c -> Path.of(URI.create((String) c.args().get("uri")))).sorted().toList();
            assertThat(chunks).hasSize(3);
            int frames = 0;
            for (Path chunk : chunks) {
                String first = ExternalCommand.of("ffprobe", "-v", "error", "-select_streams", "v:0",
                        "-read_intervals", "%+#1", "-show_entries", "frame=key_frame", "-of",
                        "default=noprint_wrappers=1:nokey=1", chunk.toString()).run().stdout().lines().findFirst()
                        .orElse("");
                assertThat(first).as("first frame of " + chunk + " is a keyframe").isEqualTo("1");
                frames += Integer.parseInt(JavaFunctions.probe(chunk, "stream=nb_frames"));
            }
            assertThat(frames).isEqualTo(100);
        }
    }

    @Test
    void aSourceWithAudioThatMp4CannotHoldComesOutWithAacAudio() {
        Path mov = media.resolve("with-pcm-audio.mov");
        ExternalCommand.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=duration=2:size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
                "-c:v", "mpeg4", "-c:a", "pcm_s16le", mov.toString()).run();
        try (EmiraxTestKit kit = kit()) {
            WorkflowRun run = kit.start("encode-video", "video-10", Map.of("source", mov.toString(), "recipe",
                    "h264-360p", "chunks", 2));

            assertThat(run.status()).as(run.failure()).isEqualTo(InstanceStatus.IDLE);
            Path output = Path.of(URI.create((String) run.output().get("uri")));
            String audio = ExternalCommand.of("ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                    "stream=codec_name", "-of", "default=noprint_wrappers=1:nokey=1", output.toString()).run()
                    .stdout().trim();
            assertThat(audio).isEqualTo("aac");
            assertThat(Double.parseDouble(JavaFunctions.probe(output, "format=duration"))).isCloseTo(2.0, within(0.2));
        }
    }

    @Test
    void takesTheChunkCountFromTheInputOrItsDefault() {
        try (EmiraxTestKit kit = kit()) {
            WorkflowRun run = kit.start("encode-video", "video-3", Map.of("source", fourSeconds.toString(),
                    "recipe", "h264-360p"));

            assertThat(run.output()).as(run.failure()).containsKey("uri");
            assertThat(run.count("encode", FiringKind.REACTION)).isEqualTo(31);
            assertThat(kit.calls("media.encode")).extracting(FunctionCall::key).hasSize(31).doesNotHaveDuplicates();
        }
    }

    @Test
    void aMissingSourceFailsTheInstanceNamingIt() {
        try (EmiraxTestKit kit = kit()) {
            String missing = media.resolve("missing.mp4").toString();
            WorkflowRun run = kit.start("encode-video", "video-4", Map.of("source", missing, "recipe", "h264-360p"));

            assertThat(run.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(run.failure()).contains("probe failed: media.probe: argument 'uri': " + missing
                    + " is not a readable file");
            assertThat(kit.calls("media.split")).isEmpty();
        }
    }

    @Test
    void aSourceThatIsNotAVideoFailsWithWhatFfprobeSaid() throws IOException {
        Path text = Files.writeString(media.resolve("notes.mp4"), "not a video\n");
        try (EmiraxTestKit kit = kit()) {
            WorkflowRun run = kit.start("encode-video", "video-5", Map.of("source", text.toString(), "recipe",
                    "h264-360p"));

            assertThat(run.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(run.failure()).startsWith("probe failed: ").contains("ffprobe -v error").contains("exited with status 1")
                    .contains("Invalid data found when processing input");
        }
    }

    @Test
    void aRemoteOrRelativeSourceIsRefusedForWhatItIs() {
        try (EmiraxTestKit kit = kit()) {
            WorkflowRun s3 = kit.start("encode-video", "video-6", Map.of("source", "s3://in/v.mp4", "recipe",
                    "h264-360p"));
            WorkflowRun relative = kit.start("encode-video", "video-7", Map.of("source", "in/v.mp4", "recipe",
                    "h264-360p"));

            assertThat(s3.failure()).contains("must be an absolute local path or a file: URI, not s3://in/v.mp4");
            assertThat(relative.failure()).contains("must be an absolute local path or a file: URI, not in/v.mp4");
        }
    }

    @Test
    void anUnknownRecipeFailsTheInstanceListingTheKnownOnes() {
        try (EmiraxTestKit kit = kit()) {
            WorkflowRun run = kit.start("encode-video", "video-8", Map.of("source", fourSeconds.toString(),
                    "recipe", "vp7-potato", "chunks", 2));

            assertThat(run.status()).isEqualTo(InstanceStatus.FAILED);
            assertThat(run.failure()).contains("encode failed: media.encode: no recipe named 'vp7-potato'; the "
                    + "recipes are h264-360p, h264-720p, h264-1080p, av1");
        }
    }

    @Test
    void anInstanceKeyCannotWriteOutsideTheOutputs() {
        try (EmiraxTestKit kit = kit()) {
            WorkflowRun run = kit.start("encode-video", "../../escape", Map.of("source", fourSeconds.toString(),
                    "recipe", "h264-360p", "chunks", 1));

            assertThat((String) run.output().get("uri")).as(run.failure())
                    .isEqualTo(FunctionOutputs.root().resolve(".._.._escape/output.mp4").toUri().toString());
        }
    }

    @Test
    void refusesInputWithoutARecipe() {
        try (EmiraxTestKit kit = kit()) {
            assertThatThrownBy(() -> kit.start("encode-video", "video-9", Map.of("source", "/in/v.mp4")))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("recipe"));
        }
    }
}
