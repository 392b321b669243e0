package io.orrery.engine.internal;

import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.TraceSpan;
import io.orrery.api.trace.Tracer;

/**
 * The span of one rule section (action, reaction, error handler), in the instance's trace. The instance keeps
 * only its trace id, not the span that caused this evaluation, so a firing names a placeholder parent that no
 * span has: the trace reader shows it as a top-level span of the trace. Keeping the causing span's id with the
 * evaluation would nest firings under their request or result.
 */
final class FiringSpans {

    private static final String UNKNOWN_PARENT = "0000000000000001";

    private FiringSpans() {
    }

    static TraceSpan start(Tracer tracer, InstanceRecord rec, String rule, String part, String callKey) {
        if (tracer == Tracer.NOOP || rec.traceId == null) {
            return TraceSpan.detached(null);
        }
        TraceSpan span = tracer.start("rule " + rule + " " + part, rec.tenant,
                        new TraceContext(rec.traceId, UNKNOWN_PARENT))
                .attribute("orrery.workflow", rec.workflow).attribute("orrery.rule", rule)
                .attribute("orrery.key", rec.key);
        return callKey == null ? span : span.attribute("orrery.call", callKey);
    }
}
