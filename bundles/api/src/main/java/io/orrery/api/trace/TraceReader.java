package io.orrery.api.trace;

import java.util.List;

/** Reads back the spans Orrery kept, from the cluster while it holds them and from the store after. */
public interface TraceReader {

    /** The tenant's spans of one trace, in no particular order; empty when it has none (or the trace is unknown). */
    List<SpanRecord> spans(String tenant, String traceId);

    /** Every tenant's spans of one trace: for the administrator's shell, never for a tenant's request. */
    List<SpanRecord> spansOfEveryTenant(String traceId);
}
