package io.orrery.trace.internal.span;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.orrery.api.trace.FailureKind;
import io.orrery.api.trace.SpanRecord;
import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.TraceSpan;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A flush's spans grouped by trace and tenant and encoded group by group into one reused buffer: each group's
 * bytes must be exactly the spans' own encodings one after another, whatever the strings and however large.
 */
class SpanGroupTest {

    @Test
    void aBatchGroupsByTraceAndTenantInOrderOfArrival() {
        List<SpanData> ended = EndedSpans.of(tracer -> {
            TraceContext a = tracer.start("request a", "acme", null).context();
            TraceContext b = tracer.start("request b", "acme", null).context();
            tracer.start("a 1", "acme", a).close();
            tracer.start("b 1", "acme", b).close();
            tracer.start("intruder", "beta", a).close(); // another tenant in a's trace: a group of its own
            tracer.start("a 2", "acme", a).failed(FailureKind.TIMEOUT, "late").close();
        });

        List<SpanGroup> groups = SpanGroup.of(ended);

        assertThat(groups).extracting(g -> names(g)).containsExactly(List.of("a 1", "a 2"), List.of("b 1"),
                List.of("intruder"));
        assertThat(groups).extracting(SpanGroup::tenant).containsExactly("acme", "acme", "beta");
        SpanGroup a = groups.get(0);
        assertThat(a.traceId()).isEqualTo(ended.get(0).getTraceId());
        assertThat(a.firstSpanId()).isEqualTo(ended.get(0).getSpanId());
        assertThat(a.startMicros()).isEqualTo(Math.min(ended.get(0).getStartEpochNanos(),
                ended.get(3).getStartEpochNanos()) / 1000);
        assertThat(SpanCodec.readAll(a.bytes()).get(1).failure()).isEqualTo(FailureKind.TIMEOUT);
    }

    @Test
    void aGroupsBytesAreItsSpansOwnEncodingsAndCutApartIntoThem() {
        List<SpanData> ended = EndedSpans.of(tracer -> {
            TraceContext root = TraceContext.newTrace();
            Instant t0 = Instant.ofEpochSecond(1_700_000_000L);
            tracer.record("queue wait ✓", "tenant-ü", root, t0, t0.plusMillis(5),
                    Map.of("ascii", "plain", "edge", "\u007f|\u0080|\u00ff|\u0100", "emoji", "a😀b"));
            tracer.record("plain", "tenant-ü", root, t0.plusMillis(1), t0.plusMillis(2), Map.of());
            try (TraceSpan s = tracer.start("failed", "tenant-ü", root)) {
                s.attribute("orrery.key", "k-1").failed(FailureKind.USER, "bad input: ß");
            }
        });

        SpanGroup group = SpanGroup.of(ended).get(0);

        assertThat(group.size()).isEqualTo(3);
        ByteArrayOutputStream each = new ByteArrayOutputStream();
        for (int i = 0; i < ended.size(); i++) {
            byte[] alone = SpanCodec.write(ended.get(i));
            assertThat(group.span(i)).as("span %d cut out of its group", i).isEqualTo(alone);
            each.writeBytes(alone);
        }
        assertThat(group.bytes()).isEqualTo(each.toByteArray());
        assertThat(SpanCodec.readAll(group.bytes()).get(0).attributes())
                .isEqualTo(Map.of("ascii", "plain", "edge", "\u007f|\u0080|\u00ff|\u0100", "emoji", "a😀b"));
        assertThat(SpanCodec.readAll(group.bytes())).extracting(SpanRecord::tenant).containsOnly("tenant-ü");
    }

    @Test
    void spansWithAndWithoutATenantShareTheEmptyTenantsGroupAndKeepTheirAttributes() {
        List<SpanData> ended = new ArrayList<>();
        try (SdkTracerProvider sdk = SdkTracerProvider.builder().addSpanProcessor(EndedSpans.into(ended)).build()) {
            var tracer = sdk.get("test");
            Span root = tracer.spanBuilder("no tenant").setAttribute("n", "1").startSpan();
            root.end();
            tracer.spanBuilder("empty tenant").setParent(Context.root().with(root))
                    .setAttribute(SpanKeeper.TENANT, "").setAttribute("n", "2").startSpan().end();
        }

        List<SpanGroup> groups = SpanGroup.of(ended);

        assertThat(groups).hasSize(1);
        assertThat(SpanCodec.readAll(groups.get(0).bytes())).satisfiesExactly(
                s -> assertThat(s.attributes()).isEqualTo(Map.of("n", "1")),
                s -> assertThat(s.attributes()).isEqualTo(Map.of("n", "2")));
    }

    @Test
    void aGatheringStartsAfreshAfterEachFlushAndASpanThatCannotBeEncodedLeavesItsGroupWhole() {
        List<SpanData> ended = new ArrayList<>();
        try (SdkTracerProvider sdk = SdkTracerProvider.builder().addSpanProcessor(EndedSpans.into(ended)).build()) {
            var tracer = sdk.get("test");
            Span first = tracer.spanBuilder("first").setAttribute(SpanKeeper.TENANT, "acme").startSpan();
            first.end();
            Context parent = Context.root().with(first);
            Span bad = tracer.spanBuilder("bad kind").setParent(parent).setAttribute(SpanKeeper.TENANT, "acme")
                    .setAttribute(SpanKeeper.FAILURE, "NOT_A_KIND").setAttribute("n", "1").startSpan();
            bad.setStatus(StatusCode.ERROR);
            bad.end();
            tracer.spanBuilder("after").setParent(parent).setAttribute(SpanKeeper.TENANT, "acme").startSpan().end();
            tracer.spanBuilder("next flush").setAttribute(SpanKeeper.TENANT, "acme").startSpan().end();
        }
        SpanGroup.Gathering gathering = new SpanGroup.Gathering();

        gathering.add(ended.get(0));
        assertThatThrownBy(() -> gathering.add(ended.get(1))).isInstanceOf(IllegalArgumentException.class);
        gathering.add(ended.get(2));
        List<SpanGroup> flushed = gathering.groups();
        gathering.add(ended.get(3));
        List<SpanGroup> next = gathering.groups();

        assertThat(flushed).singleElement().satisfies(g -> assertThat(names(g)).containsExactly("first", "after"));
        assertThat(flushed.get(0).size()).isEqualTo(2);
        assertThat(next).singleElement().satisfies(g -> assertThat(names(g)).containsExactly("next flush"));
        assertThat(gathering.spans()).isZero();
        assertThat(gathering.groups()).isEmpty();
    }

    @Test
    void aGroupLargerThanTheBufferReadsBackWhole() {
        String big = "x".repeat(4_000);
        List<SpanData> ended = EndedSpans.of(tracer -> {
            TraceContext root = TraceContext.newTrace();
            for (int i = 0; i < 100; i++) {
                tracer.start("step " + i, "acme", root).attribute("payload", big + i).close();
            }
        });

        SpanGroup group = SpanGroup.of(ended).get(0);

        assertThat(group.bytes().length).isGreaterThan(100 * 4_000);
        List<SpanRecord> read = SpanCodec.readAll(group.bytes());
        assertThat(read).hasSize(100);
        assertThat(read.get(99).attributes()).containsEntry("payload", big + 99);
        assertThat(SpanCodec.read(group.span(57)).name()).isEqualTo("step 57");
    }

    private static List<String> names(SpanGroup group) {
        return SpanCodec.readAll(group.bytes()).stream().map(SpanRecord::name).toList();
    }
}
