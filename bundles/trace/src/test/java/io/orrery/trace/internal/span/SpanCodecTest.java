package io.orrery.trace.internal.span;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.orrery.api.trace.FailureKind;
import io.orrery.api.trace.SpanRecord;
import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.TraceSpan;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanCodecTest {

    private static final SpanRecord ROOT = new SpanRecord("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
            null, "acme", "POST /instances", 1_700_000_000_000_000L, 1_700_000_000_250_000L, null, null, Map.of());
    private static final SpanRecord FAILED = new SpanRecord("0af7651916cd43dd8448eb211c80319c", "00f067aa0ba902b7",
            "b7ad6b7169203331", "tenant-ü", "call encode ✓", 1_700_000_000_010_000L, 1_700_000_000_200_000L,
            FailureKind.TIMEOUT, "deadline passed: 30 s → 31 s", Map.of("attempt", "2", "pool", "gpu", "é", "ß"));

    @Test
    void everyFieldSurvivesTheBinaryForm() {
        assertThat(SpanCodec.read(SpanCodec.write(ROOT))).isEqualTo(ROOT);
        assertThat(SpanCodec.read(SpanCodec.write(FAILED))).isEqualTo(FAILED);
    }

    @Test
    void theSdksSpansAreWrittenWithTheirTenantFailureAndAttributes() {
        List<SpanData> ended = new ArrayList<>();
        TraceContext root;
        TraceContext wait;
        try (SdkTracerProvider sdk = SdkTracerProvider.builder().addSpanProcessor(EndedSpans.into(ended)).build()) {
            OtelTracer tracer = new OtelTracer(sdk);
            Instant t0 = Instant.ofEpochSecond(1_700_000_000L);
            try (TraceSpan request = tracer.start("POST /instances", "acme", null)) {
                root = request.context();
                wait = tracer.record("queue wait", "tenant-ü", root, t0, t0.plusMillis(250),
                        Map.of("orrery.queue", "encode ✓", "orrery.attempt", "2"));
                tracer.start("call encode", "tenant-ü", wait).failed(FailureKind.TIMEOUT, "deadline passed").close();
                tracer.start("call index", "acme", root).failed(FailureKind.USER, null).attribute("n", "1").close();
            }
        }
        List<SpanRecord> read = ended.stream().map(d -> SpanCodec.read(SpanCodec.write(d))).toList();
        assertThat(read).extracting(SpanRecord::name)
                .containsExactly("queue wait", "call encode", "call index", "POST /instances");
        assertThat(read.get(0)).isEqualTo(new SpanRecord(root.traceId(), wait.spanId(), root.spanId(), "tenant-ü",
                "queue wait", 1_700_000_000_000_000L, 1_700_000_000_250_000L, null, null,
                Map.of("orrery.queue", "encode ✓", "orrery.attempt", "2")));
        assertThat(read.get(1)).satisfies(s -> {
            assertThat(s.parentSpanId()).isEqualTo(wait.spanId());
            assertThat(s.failure()).isEqualTo(FailureKind.TIMEOUT);
            assertThat(s.failureMessage()).isEqualTo("deadline passed");
            assertThat(s.attributes()).isEmpty();
            assertThat(s.endMicros()).isGreaterThanOrEqualTo(s.startMicros());
        });
        assertThat(read.get(2)).satisfies(s -> {
            assertThat(s.failure()).isEqualTo(FailureKind.USER);
            assertThat(s.failureMessage()).isEqualTo("USER");
            assertThat(s.attributes()).isEqualTo(Map.of("n", "1"));
        });
        assertThat(read.get(3).parentSpanId()).isNull();
        assertThat(read.get(3).tenant()).isEqualTo("acme");
    }

    @Test
    void concatenatedSpansReadBackInOrder() {
        byte[] both = SpanCodec.concat(List.of(SpanCodec.write(FAILED), SpanCodec.write(ROOT)));
        assertThat(SpanCodec.readAll(both)).containsExactly(FAILED, ROOT);
        assertThat(SpanCodec.readAll(new byte[0])).isEmpty();
    }

    @Test
    void aMessageLongerThanWriteUtfAllowsSurvives() {
        SpanRecord big = new SpanRecord(ROOT.traceId(), ROOT.spanId(), null, "acme", "x", 1, 2,
                FailureKind.USER, "m".repeat(70_000) + "ø", Map.of());
        assertThat(SpanCodec.read(SpanCodec.write(big))).isEqualTo(big);
    }

    @Test
    void spansKeptAsJsonByAnEarlierVersionStillRead() throws Exception {
        byte[] json = new ObjectMapper().writeValueAsBytes(FAILED);
        assertThat(SpanCodec.read(json)).isEqualTo(FAILED);
    }

    @Test
    void aTruncatedOrForeignValueIsRefusedNotMisread() {
        byte[] bytes = SpanCodec.write(FAILED);
        assertThatThrownBy(() -> SpanCodec.read(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> SpanCodec.read(new byte[] {7, 0, 0, 0, 1}))
                .isInstanceOf(UncheckedIOException.class).hasStackTraceContaining("unknown span encoding 7");
    }
}
