package io.orrery.shell.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.trace.FailureKind;
import io.orrery.api.trace.SpanRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceCommandTest {

    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    @Test
    void printsTheTreeIndentedWithDurationsAndOffsets() {
        List<SpanRecord> spans = List.of(
                span("c2", "b1", "call encode", 3_000, 9_000, null, Map.of()),
                span("a0", null, "POST /instances", 1_000, 11_500, null, Map.of("http.status", "202")),
                span("b1", "a0", "rule split", 2_000, 2_500, null, Map.of()),
                span("c1", "b1", "call encode", 2_500, 9_500, FailureKind.TIMEOUT, Map.of()));

        String out = render(spans);

        assertThat(out.lines().toList()).containsExactly(
                "Trace " + TRACE + ": 4 spans, 10.5 ms",
                "  POST /instances  10.5 ms  at +0.0 ms  [acme] http.status=202",
                "    rule split  0.5 ms  at +1.0 ms  [acme]",
                "      call encode  7.0 ms  at +1.5 ms  [acme]  FAILED timeout: boom",
                "      call encode  6.0 ms  at +2.0 ms  [acme]");
    }

    @Test
    void escapesTenantTextAndRefusesAnUnknownTrace() {
        String out = render(List.of(span("a0", null, "evil\u001b[2Jname", 0, 1, null, Map.of("k\n", "v\u0007"))));
        assertThat(out).doesNotContain("\u001b").doesNotContain("\u0007");
        assertThat(out.lines()).hasSize(2);

        assertThatThrownBy(() -> render(List.of())).hasMessageContaining("No spans kept for trace " + TRACE);
    }

    private static SpanRecord span(String id, String parent, String name, long start, long end, FailureKind failure,
                                   Map<String, String> attributes) {
        return new SpanRecord(TRACE, id, parent, "acme", name, start, end, failure, failure == null ? null : "boom",
                attributes);
    }

    private static String render(List<SpanRecord> spans) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TraceCommand.print(TRACE, spans, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
