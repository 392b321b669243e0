package io.orrery.trace.internal.span;

import io.orrery.api.trace.SpanRecord;
import io.orrery.api.trace.TraceReader;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a trace from both places spans are kept: the map holds the newest (some not yet written behind), the
 * store everything the map has dropped. Only the asking tenant's spans are answered.
 */
public final class SpanStore implements TraceReader {

    private final SpanMap map;
    private final SpanTable table;

    public SpanStore(SpanMap map, SpanTable table) {
        this.map = map;
        this.table = table;
    }

    @Override
    public List<SpanRecord> spans(String tenant, String traceId) {
        return read(tenant, traceId);
    }

    @Override
    public List<SpanRecord> spansOfEveryTenant(String traceId) {
        return read(null, traceId);
    }

    /** @param tenant null for every tenant's */
    private List<SpanRecord> read(String tenant, String traceId) {
        if (!TraceIds.valid(traceId)) {
            return List.of();
        }
        Map<String, SpanRecord> spans = new LinkedHashMap<>();
        try {
            table.trace(tenant, traceId).forEach(s -> spans.put(s.spanId(), s));
        } catch (SQLException e) {
            throw new IllegalStateException("the store cannot read trace " + traceId, e);
        }
        map.trace(traceId).stream().filter(s -> tenant == null || s.tenant().equals(tenant))
                .forEach(s -> spans.put(s.spanId(), s));
        return List.copyOf(spans.values());
    }
}
