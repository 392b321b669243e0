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

    /** Groups a batch by trace and tenant, in the order each group's first span came: see {@link Gathering}. */
    public static List<SpanGroup> of(List<SpanData> batch) {
        Gathering gathering = new Gathering();
        batch.forEach(gathering::add);
        return gathering.groups();
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

    /**
     * A flush's groups as its spans arrive: each span is encoded at once, so that what waits for the flush is
     * compact bytes, not the SDK's spans (which would otherwise live through the quarter second of gathering and be
     * copied by every young collection meanwhile). The spans of every group are written one after another into one
     * array kept from flush to flush; each group's are copied out of it once, when the flush is done.
     */
    public static final class Gathering {

        /** An array grown past this by a flush of unusually large spans is not kept for the next one. */
        private static final int KEPT_CAPACITY = 8 << 20;

        // By trace id, then by tenant along a short chain: a trace seldom has spans of two tenants.
        private final Map<String, Members> traces = new HashMap<>();
        private final List<Members> order = new ArrayList<>();
        private SpanCodec.Bytes out = new SpanCodec.Bytes(256 * 1024);
        private int spans;

        /** Encodes a span into its group; a span that cannot be encoded leaves its group as it was, and throws. */
        public void add(SpanData span) {
            String named = span.getAttributes().get(SpanKeeper.TENANT);
            String tenant = named == null ? "" : named; // as the span's encoding has it
            Members members = traces.get(span.getTraceId());
            Members last = null;
            while (members != null && !members.tenant.equals(tenant)) {
                last = members;
                members = members.next;
            }
            int mark = out.length();
            try {
                out.span(span, tenant);
            } catch (RuntimeException e) {
                out.truncate(mark);
                throw e;
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
            members.add(span.getSpanId(), span.getStartEpochNanos() / 1000, mark, out.length());
            spans++;
        }

        /** Spans gathered since the last {@link #groups()}. */
        public int spans() {
            return spans;
        }

        /** The groups, in the order each group's first span came; the gathering starts afresh. */
        public List<SpanGroup> groups() {
            List<SpanGroup> groups = new ArrayList<>(order.size());
            for (Members members : order) {
                groups.add(members.group(out));
            }
            traces.clear();
            order.clear();
            spans = 0;
            out = out.capacity() > KEPT_CAPACITY ? new SpanCodec.Bytes(256 * 1024) : out;
            out.truncate(0);
            return groups;
        }
    }

    /** The spans of one trace and tenant gathered so far: where each one's encoding is in the gathering's array. */
    private static final class Members {

        final String traceId;
        final String tenant;
        String[] ids = new String[8];
        long[] starts = new long[8];
        int[] from = new int[8];
        int[] to = new int[8];
        int size;
        int length;
        Members next;

        Members(String traceId, String tenant) {
            this.traceId = traceId;
            this.tenant = tenant;
        }

        void add(String id, long startMicros, int at, int end) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                starts = Arrays.copyOf(starts, size * 2);
                from = Arrays.copyOf(from, size * 2);
                to = Arrays.copyOf(to, size * 2);
            }
            ids[size] = id;
            starts[size] = startMicros;
            from[size] = at;
            to[size] = end;
            length += end - at;
            size++;
        }

        SpanGroup group(SpanCodec.Bytes out) {
            byte[] bytes = new byte[length];
            int[] ends = new int[size];
            int at = 0;
            for (int i = 0; i < size; i++) {
                at = out.copyTo(from[i], to[i], bytes, at);
                ends[i] = at;
            }
            return new SpanGroup(traceId, tenant, Arrays.copyOf(ids, size), Arrays.copyOf(starts, size), ends,
                    bytes);
        }
    }
}
