package io.orrery.trace.internal.span;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The spans of one trace and tenant that ended within one flush: one entry of the cluster's map (when it keeps
 * groups, {@link SpanMap}) and one row of the store ({@link SpanTable}). Keyed by its first span, dated by its
 * earliest start; its bytes (encoded once, for both) are the spans' {@link SpanCodec} encodings one after another,
 * and each span's end in them is kept, so that a map keeping a span per entry can cut them apart.
 */
public final class SpanGroup {

    private final String traceId;
    private final String tenant;
    private final String[] spanIds;
    private final long[] starts;
    private final int[] ends;
    private final long startMicros;
    private final byte[] bytes;

    private SpanGroup(String traceId, String tenant, String[] spanIds, long[] starts, int[] ends, byte[] bytes) {
        this.traceId = traceId;
        this.tenant = tenant;
        this.spanIds = spanIds;
        this.starts = starts;
        this.ends = ends;
        this.bytes = bytes;
        this.startMicros = Arrays.stream(starts).min().orElseThrow();
    }

    /**
     * Groups a batch by trace and tenant, in the order each group's first span came, and encodes each group's
     * spans one after another into one array: no array per span, no copy but the group's own.
     */
    public static List<SpanGroup> of(List<SpanData> batch) {
        // By trace id, then by tenant along a short chain: a trace seldom has spans of two tenants.
        Map<String, Members> traces = new HashMap<>();
        List<Members> order = new ArrayList<>();
        for (SpanData span : batch) {
            String named = span.getAttributes().get(SpanKeeper.TENANT);
            String tenant = named == null ? "" : named; // as the span's encoding has it
            Members members = traces.get(span.getTraceId());
            Members last = null;
            while (members != null && !members.tenant.equals(tenant)) {
                last = members;
                members = members.next;
            }
            if (members == null) {
                members = new Members(span.getTraceId(), tenant);
                if (last == null) {
                    traces.put(span.getTraceId(), members);
                } else {
                    last.next = members;
                }
                order.add(members);
            }
            members.spans.add(span);
        }
        SpanCodec.Bytes out = new SpanCodec.Bytes(64 * 1024);
        List<SpanGroup> groups = new ArrayList<>(order.size());
        for (Members members : order) {
            groups.add(members.encode(out));
        }
        return groups;
    }

    public String traceId() {
        return traceId;
    }

    public String tenant() {
        return tenant;
    }

    /** The first span's id: the group's key. */
    public String firstSpanId() {
        return spanIds[0];
    }

    /** The earliest start of its spans, in microseconds. */
    public long startMicros() {
        return startMicros;
    }

    public int size() {
        return spanIds.length;
    }

    /** Every span's encoding, one after another ({@link SpanCodec#readAll}). */
    public byte[] bytes() {
        return bytes;
    }

    public String spanId(int i) {
        return spanIds[i];
    }

    public long startMicros(int i) {
        return starts[i];
    }

    /** The i-th span's encoding alone ({@link SpanCodec#read}). */
    public byte[] span(int i) {
        return size() == 1 ? bytes : Arrays.copyOfRange(bytes, i == 0 ? 0 : ends[i - 1], ends[i]);
    }

    /** The spans of one trace and tenant in a batch, until encoded. */
    private static final class Members {

        final String traceId;
        final String tenant;
        final List<SpanData> spans = new ArrayList<>(8);
        Members next;

        Members(String traceId, String tenant) {
            this.traceId = traceId;
            this.tenant = tenant;
        }

        SpanGroup encode(SpanCodec.Bytes out) {
            int n = spans.size();
            String[] ids = new String[n];
            long[] starts = new long[n];
            int[] ends = new int[n];
            out.reset();
            for (int i = 0; i < n; i++) {
                SpanData span = spans.get(i);
                out.span(span, tenant);
                ids[i] = span.getSpanId();
                starts[i] = span.getStartEpochNanos() / 1000;
                ends[i] = out.length();
            }
            return new SpanGroup(traceId, tenant, ids, starts, ends, out.toArray());
        }
    }
}
