package io.orrery.trace.internal.span;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spans of one trace and tenant that ended within one flush: one entry of the cluster's map (when it keeps
 * groups, {@link SpanMap}) and one row of the store ({@link SpanTable}). Keyed by its first span, dated by its
 * earliest start; its bytes (encoded once, for both) are the spans' {@link SpanCodec} encodings one after another.
 */
public record SpanGroup(List<EncodedSpan> spans, long startMicros, byte[] bytes) {

    /** Groups a batch by trace and tenant, in the order each group's first span came. */
    public static List<SpanGroup> of(List<EncodedSpan> batch) {
        // By trace id (no key strings built per span), then by tenant: a trace seldom has spans of two.
        Map<String, List<List<EncodedSpan>>> traces = new LinkedHashMap<>();
        for (EncodedSpan s : batch) {
            List<List<EncodedSpan>> byTenant = traces.computeIfAbsent(s.traceId(), k -> new ArrayList<>(1));
            groupOf(byTenant, s.tenant()).add(s);
        }
        List<SpanGroup> all = new ArrayList<>(traces.size());
        for (List<List<EncodedSpan>> byTenant : traces.values()) {
            for (List<EncodedSpan> spans : byTenant) {
                all.add(group(spans));
            }
        }
        return all;
    }

    private static List<EncodedSpan> groupOf(List<List<EncodedSpan>> byTenant, String tenant) {
        for (List<EncodedSpan> group : byTenant) {
            if (group.get(0).tenant().equals(tenant)) {
                return group;
            }
        }
        List<EncodedSpan> group = new ArrayList<>(8);
        byTenant.add(group);
        return group;
    }

    private static SpanGroup group(List<EncodedSpan> spans) {
        long start = Long.MAX_VALUE;
        for (EncodedSpan s : spans) {
            start = Math.min(start, s.startMicros());
        }
        return new SpanGroup(spans, start, spans.size() == 1 ? spans.get(0).bytes()
                : SpanCodec.concat(spans.stream().map(EncodedSpan::bytes).toList()));
    }

    public EncodedSpan first() {
        return spans.get(0);
    }

    public int size() {
        return spans.size();
    }
}
