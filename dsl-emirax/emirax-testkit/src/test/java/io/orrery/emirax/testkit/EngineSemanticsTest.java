package io.orrery.emirax.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.engine.FiringKind;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InvalidInputException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Forward chaining, always-on, guards, child workflows and timers, through the test kit. */
class EngineSemanticsTest {

    @Test
    void theLoopGuardFailsTheInstanceNamingTheRule() {
        var kit = EmiraxTestKit.fromSource("counter.groovy", """
                workflow('counter') {
                    rule('spin') {
                        match  { (state.n ?: 0) < 1_000_000 }
                        action { state.n = (state.n ?: 0) + 1 }
                    }
                }
                """).loopLimit(50);
        WorkflowRun run = kit.start("counter", "k", Map.of());
        assertThat(run.status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(run.failure()).contains("loop guard", "rule 'spin'", "50");
        assertThat(run.state()).containsEntry("n", 50);
    }

    @Test
    void aRunawayMatchFailsThatInstanceWithinTheLimitAndTheEngineGoesOn() {
        var kit = EmiraxTestKit.fromSource("runaway.groovy", """
                workflow('runaway') {
                    rule('hang') {
                        match  { if (input.hang) { while (true) { } }; false }
                        action { }
                    }
                    rule('greet') {
                        match  { !state.greeted }
                        action { call 'greet', [name: key] }
                        reaction { r -> state.greeted = r.text }
                    }
                }
                """).timeLimit(Duration.ofMillis(200)).stub("greet", a -> Map.of("text", "hi " + a.get("name")));
        long t0 = System.nanoTime();
        WorkflowRun stuck = kit.start("runaway", "stuck", Map.of("hang", true));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(stuck.status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(stuck.failure()).isEqualTo("rule 'hang' match ran over its time limit of 200 ms and was stopped");
        assertThat(ms).isLessThan(1500);

        WorkflowRun fine = kit.start("runaway", "fine", Map.of("hang", false));
        assertThat(fine.status()).isEqualTo(InstanceStatus.IDLE);
        assertThat(fine.state()).containsEntry("greeted", "hi fine");
    }

    @Test
    void inputIsValidatedWithErrorsNamingTheField() {
        var kit = MediaStubs.stubbed(EmiraxTestKit.fromClasspath("emirax/encode-video.groovy"));
        assertThatThrownBy(() -> kit.start("encode-video", "x", Map.of("source", "s")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("recipe"))
                .hasMessage("input.recipe: required by workflow encode-video, missing");
        assertThatThrownBy(() -> kit.start("encode-video", "x", Map.of("source", "s", "recipe", "r", "chunks", "many")))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("chunks"))
                .hasMessage("input.chunks: expected Integer, got a string");
        assertThatThrownBy(() -> kit.start("encode-video", "x", Map.of("source", 7, "recipe", "r")))
                .hasMessage("input.source: expected String, got Integer");
        assertThatThrownBy(() -> kit.start("encode-video", "x", Map.of("source", "s", "recipe", "r", "colour", "red")))
                .hasMessage("input.colour: not declared by workflow encode-video");
        assertThat(kit.engine().find(new io.orrery.api.engine.InstanceId("test", "encode-video", "x"))).isEmpty();
        // 2.0 is an Integer in JSON terms; a later request may omit required fields the instance already has.
        WorkflowRun ok = kit.start("encode-video", "y", Map.of("source", "s", "recipe", "r", "chunks", 2.0));
        assertThat(ok.input()).containsEntry("chunks", 2);
        assertThat(ok.send(Map.of("recipe", "vp9")).input()).containsEntry("source", "s").containsEntry("recipe", "vp9");
    }

    @Test
    void aChildWorkflowsOutputFeedsTheParentsReaction() {
        var kit = MediaStubs.stubbed(EmiraxTestKit.fromSource("publish.groovy", """
                workflow('publish') {
                    input { required 'video', String; required 'source', String }
                    rule('encode') {
                        match    { !state.encoded }
                        action   { workflow 'encode-video', [source: input.source, recipe: 'h264', chunks: 4], key: input.video }
                        reaction { r, call -> state.encoded = r.uri; state.child = call.key }
                        error    { e -> fail "encoding failed: ${e.message}" }
                    }
                    rule('publish') {
                        match    { state.encoded && !state.published }
                        action   { call 'cdn.publish', [uri: state.encoded] }
                        reaction { r -> state.published = r.url; complete(output: [url: r.url]) }
                    }
                }
                """ + EncodeVideoTestSources.SKETCH))
                .stub("cdn.publish", a -> Map.of("url", "https://cdn/" + a.get("uri")));
        WorkflowRun parent = kit.start("publish", "p1", Map.of("video", "vid-9", "source", "s3://vid-9.mp4"));
        assertThat(parent.status()).isEqualTo(InstanceStatus.IDLE);
        assertThat(parent.state()).containsEntry("encoded", "assembled(4):s3://vid-9.mp4#0.h264")
                .containsEntry("child", "vid-9");
        assertThat(parent.output()).isEqualTo(Map.of("url", "https://cdn/assembled(4):s3://vid-9.mp4#0.h264"));
        WorkflowRun child = kit.instance("encode-video", "vid-9");
        assertThat(child.completed()).isTrue();
        assertThat(child.input()).containsEntry("chunks", 4);

        // A child that fails reaches the parent's error handler.
        kit.failing("media.split", "no such file");
        WorkflowRun other = kit.start("publish", "p2", Map.of("video", "vid-10", "source", "s3://gone.mp4"));
        assertThat(other.status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(other.failure()).startsWith("encoding failed: workflow encode-video (vid-10) failed: split failed");
    }

    @Test
    void timersFireWhenTheClockMovesOn() {
        var kit = EmiraxTestKit.fromSource("remind.groovy", """
                workflow('remind') {
                    rule('wait') {
                        match    { !state.reminded }
                        action   { after '10m' }
                        reaction { r -> state.reminded = r.firedAt }
                    }
                }
                """);
        WorkflowRun run = kit.start("remind", "k", Map.of());
        assertThat(run.status()).isEqualTo(InstanceStatus.ACTIVE);
        kit.advanceTime(Duration.ofMinutes(9));
        assertThat(run.status()).isEqualTo(InstanceStatus.ACTIVE);
        kit.advanceTime(Duration.ofMinutes(1));
        assertThat(run.status()).isEqualTo(InstanceStatus.IDLE);
        assertThat(run.state()).containsKey("reminded");
    }

    @Test
    void aNewVersionFiresOnIdleInstancesThatNeverCompletedAndSalienceOrdersFirings() {
        var kit = EmiraxTestKit.fromSource("catalog.groovy", """
                workflow('catalog') {
                    rule('ingest') {
                        match    { input.title && !state.ingested }
                        action   { call 'cat.ingest', [title: input.title] }
                        reaction { r -> state.ingested = r.id }
                    }
                }
                """).stub("cat.ingest", a -> Map.of("id", "id-" + a.get("title")))
                .stub("cat.tag", a -> Map.of("tags", List.of("new")))
                .stub("cat.index", a -> Map.of());
        kit.start("catalog", "t1", Map.of("title", "Dune"));
        kit.start("catalog", "t2", Map.of("title", "Heat"));
        var reports = kit.deploy("catalog-v2.groovy", """
                workflow('catalog') {
                    version 2
                    rule('ingest') {
                        match    { input.title && !state.ingested }
                        action   { call 'cat.ingest', [title: input.title] }
                        reaction { r -> state.ingested = r.id }
                    }
                    rule('index') {
                        match    { state.ingested && !state.indexed }
                        action   { call 'cat.index', [id: state.ingested] }
                        reaction { r -> state.indexed = true }
                    }
                    rule('tag', salience: 10) {
                        match    { state.ingested && !state.tags }
                        action   { call 'cat.tag', [id: state.ingested] }
                        reaction { r -> state.tags = r.tags }
                    }
                }
                """);
        assertThat(reports.get(0).fired()).isEqualTo(Map.of("index", 2L, "tag", 2L));
        WorkflowRun t1 = kit.instance("catalog", "t1");
        assertThat(t1.state()).containsEntry("tags", List.of("new")).containsEntry("indexed", true);
        assertThat(t1.firedRules()).containsExactly("ingest", "tag", "index");
        assertThat(t1.count("ingest", FiringKind.ACTION)).isEqualTo(1);
    }

    /**
     * Number literals of every kind compile and keep their type. Groovy keeps some literals (long, float, BigDecimal,
     * BigInteger) in static fields that a static initializer sets, which rule classes may not have: a rule holding
     * {@code 3L} failed to compile with an error about static fields.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "3L                | 3          | Long",
            "2147483648        | 2147483648 | Long",
            "-3L               | -3         | Long",
            "2.5f              | 2.5        | Float",
            "1.5d              | 1.5        | Double",
            "1.5               | 1.5        | BigDecimal",
            "12G               | 12         | BigInteger",
            "7                 | 7          | Integer",
    })
    void numberLiteralsOfEveryKindCompileAndKeepTheirType(String literal, String value, String type) {
        var kit = EmiraxTestKit.fromSource("literal.groovy", """
                workflow('literal') {
                    rule('r') {
                        match  { !state.v }
                        action {
                            def n = %s
                            state.v = n.toString()
                            state.t = n instanceof Long ? 'Long' : n instanceof Float ? 'Float'
                                    : n instanceof Double ? 'Double' : n instanceof BigDecimal ? 'BigDecimal'
                                    : n instanceof BigInteger ? 'BigInteger' : n instanceof Integer ? 'Integer' : '?'
                        }
                    }
                }
                """.formatted(literal));
        WorkflowRun run = kit.start("literal", "k", Map.of());
        assertThat(run.failure()).isNull();
        assertThat(run.state()).containsEntry("v", value).containsEntry("t", type);
    }
}
