package io.orrery.emirax;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.engine.CallFailedException;
import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallRequest;
import io.orrery.api.engine.RuleDefinition;
import io.orrery.api.engine.WorkflowDefinition;
import io.orrery.api.engine.WorkflowModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmiraxDslTest {

    static String resource(String name) throws IOException {
        try (InputStream in = EmiraxDslTest.class.getResourceAsStream("/emirax/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static WorkflowModule compileAndLoad(String path, String text) {
        CompiledModule compiled = new EmiraxCompiler().compile(List.of(new EmiraxSource(path, text)));
        return compiled.load(EmiraxDslTest.class.getClassLoader());
    }

    @Test
    void theSketchBuildsItsModel() throws Exception {
        WorkflowModule module = compileAndLoad("src/main/emirax/encode-video.groovy", resource("encode-video.groovy"));
        assertThat(module.functions()).extracting(f -> f.name()).containsExactly("media.size");
        WorkflowDefinition w = module.workflows().get(0);
        assertThat(w.name()).isEqualTo("encode-video");
        assertThat(w.version()).isEqualTo(3);
        assertThat(w.inputs()).extracting(f -> f.name()).containsExactly("source", "chunks", "recipe");
        assertThat(w.rules()).extracting(RuleDefinition::name).containsExactly("split", "encode", "assemble");
        assertThat(w.rules()).allSatisfy(r -> assertThat(r.fingerprint()).hasSize(24));
        assertThat(w.mergeInput(Map.of(), Map.of("source", "s3://v", "recipe", "h264"))).containsEntry("chunks", 31);
    }

    /**
     * A script's top level runs when it is loaded (a deploy, or a dry-run of any upload), on a thread of the
     * server's: an endless loop there is stopped at the model's time limit instead of pinning that thread for good.
     */
    @Test
    void anEndlessLoopAtTheTopLevelIsStoppedAtTheModelsTimeLimit() {
        String source = """
                while (true) { }
                workflow('never') { version 1 }
                """;

        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> compileAndLoad("loop.groovy", source))
                        .isInstanceOf(io.orrery.emirax.sandbox.SandboxException.class)
                        .hasMessageContaining("time limit"));
    }

    @Test
    void sectionsRunAgainstTheirScope() throws Exception {
        WorkflowDefinition w = compileAndLoad("encode-video.groovy", resource("encode-video.groovy")).workflows().get(0);
        var scope = new RecordingScope();
        scope.input.putAll(Map.of("source", "s3://v", "recipe", "h264", "chunks", 3));
        RuleDefinition split = w.rule("split").orElseThrow();
        assertThat(split.match().test(scope)).isTrue();
        split.action().run(scope);
        assertThat(scope.calls).containsExactly(CallRequest.function("media.split", Map.of("uri", "s3://v", "count", 3)));
        split.reaction().apply(scope, Map.of("parts", List.of("a", "b", "c")), scope.calls.get(0));
        assertThat(split.match().test(scope)).isFalse();

        RuleDefinition encode = w.rule("encode").orElseThrow();
        assertThat(encode.match().test(scope)).isTrue();
        scope.calls.clear();
        encode.action().run(scope);
        assertThat(scope.calls).hasSize(3).allSatisfy(c -> {
            assertThat(c.target()).isEqualTo("media.encode");
            assertThat(c.key()).isEqualTo(c.args().get("uri"));
            assertThat(c.args()).containsEntry("recipe", "h264");
        });
        for (CallRequest c : scope.calls) {
            encode.reaction().apply(scope, Map.of("uri", c.key() + ".enc"), c);
        }
        RuleDefinition assemble = w.rule("assemble").orElseThrow();
        assertThat(encode.match().test(scope)).isFalse();
        assertThat(assemble.match().test(scope)).isTrue();
        scope.calls.clear();
        assemble.action().run(scope);
        assertThat(scope.calls.get(0).args()).isEqualTo(Map.of("parts", List.of("a.enc", "b.enc", "c.enc")));
        assemble.reaction().apply(scope, Map.of("uri", "final.mp4"), scope.calls.get(0));
        assertThat(scope.output).isEqualTo(Map.of("uri", "final.mp4"));
        assertThat(assemble.match().test(scope)).isFalse();

        split.onError().handle(scope, new CallFailedException("media.split", "disk full", 3), null);
        assertThat(scope.failure).isEqualTo("split failed: disk full");
    }

    @Test
    void callOptionsTimersAndChildWorkflows() {
        WorkflowDefinition w = compileAndLoad("opts.groovy", """
                workflow('opts') {
                    rule('r') {
                        salience 7
                        match { true }
                        action {
                            call 'f', [a: 1], key: 'k1', priority: 9, timeout: '2m', retries: 4, exclusive: 'x'
                            [1, 2].each { n -> call 'g', [n: n] }
                            workflow 'child', [x: 1], key: 'c1'
                            after '10m'
                        }
                    }
                }
                """).workflows().get(0);
        var scope = new RecordingScope();
        RuleDefinition r = w.rules().get(0);
        assertThat(r.salience()).isEqualTo(7);
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> r.action().run(scope));
        assertThat(scope.calls).hasSize(5);
        CallRequest f = scope.calls.get(0);
        assertThat(f).isEqualTo(new CallRequest(CallKind.FUNCTION, "f", Map.of("a", 1), "k1", 9,
                Duration.ofMinutes(2), 4, "x", null));
        assertThat(scope.calls.get(1).args()).isEqualTo(Map.of("n", 1));
        assertThat(scope.calls.get(3)).isEqualTo(CallRequest.workflow("child", Map.of("x", 1)).withKey("c1"));
        assertThat(scope.calls.get(4)).isEqualTo(CallRequest.timer(Duration.ofMinutes(10)));
    }
}
