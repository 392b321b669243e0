package io.orrery.emirax.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.engine.DeployReport;
import io.orrery.api.engine.DryRunReport;
import io.orrery.api.engine.FiringKind;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.function.FunctionFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SPEC's binding encode-video sketch, run through the test kit exactly as a tenant would. */
class EncodeVideoTest {

    private static final Map<String, Object> INPUT = Map.of("source", "s3://in/v1.mp4", "recipe", "h264");

    @Test
    void theSketchSplitsFansOutJoinsAndCompletesInUnderASecond() {
        long t0 = System.nanoTime();
        var kit = MediaStubs.stubbed(EmiraxTestKit.fromClasspath("emirax/encode-video.groovy"));
        long compiled = System.nanoTime();
        WorkflowRun run = kit.start("encode-video", "v1", INPUT);
        long done = System.nanoTime();
        System.out.printf("encode-video via the test kit: compile+load %d ms, run %d ms%n",
                (compiled - t0) / 1_000_000, (done - compiled) / 1_000_000);

        assertThat(run.status()).isEqualTo(InstanceStatus.IDLE);
        assertThat(run.output()).isEqualTo(Map.of("uri", "assembled(31):s3://in/v1.mp4#0.h264"));
        assertThat(run.input()).containsEntry("chunks", 31);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> chunks = (List<Map<String, Object>>) run.state().get("chunks");
        assertThat(chunks).hasSize(31).allSatisfy(c -> assertThat(c.get("encoded")).isEqualTo(c.get("uri") + ".h264"));
        assertThat(run.firedRules()).containsExactly("split", "encode", "assemble");
        assertThat(run.count("encode", FiringKind.REACTION)).isEqualTo(31);
        assertThat(run.firings().get(2).calls()).isEqualTo(31);
        assertThat(kit.calls("media.encode")).hasSize(31)
                .allSatisfy(c -> assertThat(c.key()).isEqualTo(c.args().get("uri")));
        assertThat(kit.calls("media.split").get(0).args()).isEqualTo(Map.of("uri", "s3://in/v1.mp4", "count", 31));
        assertThat((done - compiled) / 1_000_000).isLessThan(1000);
    }

    @Test
    void aFailingSplitRunsTheErrorHandlerAndRetryResumes() {
        int[] attempts = {0};
        var kit = MediaStubs.stubbed(EmiraxTestKit.fromClasspath("emirax/encode-video.groovy"))
                .stub("media.split", args -> {
                    if (attempts[0]++ == 0) {
                        throw new FunctionFailure("source not found");
                    }
                    return Map.of("parts", List.of("p0", "p1"));
                });
        WorkflowRun run = kit.start("encode-video", "v2", INPUT);
        assertThat(run.status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(run.failure()).isEqualTo("split failed: function media.split failed: source not found");

        run.retry();
        assertThat(run.status()).isEqualTo(InstanceStatus.IDLE);
        assertThat(run.output()).containsEntry("uri", "assembled(2):p0.h264");
    }

    @Test
    void alwaysOnVersion4FiresItsNewRuleOnExistingCompletedInstancesAfterADryRun() throws IOException {
        var kit = MediaStubs.stubbed(EmiraxTestKit.fromClasspath("emirax/encode-video.groovy"))
                .stub("media.assemble", args -> {
                    if (args.get("parts").toString().contains("bad")) {
                        throw new FunctionFailure("corrupt chunk");
                    }
                    return Map.of("uri", "final.mp4");
                });
        for (String key : List.of("a", "b", "c")) {
            assertThat(kit.start("encode-video", key, INPUT).completed()).isTrue();
        }
        WorkflowRun bad = kit.start("encode-video", "bad", Map.of("source", "bad.mp4", "recipe", "h264", "chunks", 2));
        assertThat(bad.status()).isEqualTo(InstanceStatus.FAILED);
        int callsBefore = kit.calls().size();

        String v4 = resource("emirax/encode-video-v4.groovy");
        List<DryRunReport> dry = kit.dryRun("encode-video-v4.groovy", v4);
        assertThat(dry).singleElement().satisfies(d -> {
            assertThat(d.fromVersion()).isEqualTo(3);
            assertThat(d.toVersion()).isEqualTo(4);
            assertThat(d.instances()).isEqualTo(4);
            assertThat(d.wouldFire()).isEqualTo(Map.of("split", 0L, "encode", 0L, "assemble", 0L, "reencode", 3L));
        });
        assertThat(kit.calls()).hasSize(callsBefore); // a dry run makes no calls
        assertThat(kit.instance("encode-video", "a").state()).doesNotContainKey("codec");

        List<DeployReport> deployed = kit.deploy("encode-video-v4.groovy", v4);
        assertThat(deployed).singleElement().satisfies(d -> {
            assertThat(d.previousVersion()).isEqualTo(3);
            assertThat(d.reevaluated()).isEqualTo(4);
            assertThat(d.fired()).isEqualTo(Map.of("reencode", 3L));
        });
        for (String key : List.of("a", "b", "c")) {
            WorkflowRun run = kit.instance("encode-video", key);
            assertThat(run.status()).isEqualTo(InstanceStatus.IDLE);
            assertThat(run.output()).isEqualTo(Map.of("uri", "final.mp4.av1", "codec", "av1"));
            assertThat(run.firedRules()).containsExactly("split", "encode", "assemble", "reencode");
            assertThat(run.view().version()).isEqualTo(4);
        }
        assertThat(kit.calls("media.reencode")).hasSize(3);
        assertThat(kit.instance("encode-video", "bad").status()).isEqualTo(InstanceStatus.FAILED);

        // Always on after completion: a new request for a key adds facts to the same instance.
        WorkflowRun a = kit.instance("encode-video", "a").send(Map.of("recipe", "vp9"));
        assertThat(a.input()).containsEntry("recipe", "vp9").containsEntry("source", "s3://in/v1.mp4");
        assertThat(a.firedRules()).hasSize(4);
    }

    static String resource(String name) throws IOException {
        try (InputStream in = EncodeVideoTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
