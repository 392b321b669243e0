package io.orrery.engine.internal;

import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.TraceSpan;
import io.orrery.api.trace.Tracer;

/**
 * The span of one rule section (action, reaction, error handler), in the instance's trace, nested under the span
 * that caused the evaluation ({@link EvaluationCause}: the request, the result's queue wait, the parent's firing).
 * An evaluation without a cause in the instance's trace (a re-evaluation after a deploy, a request to an instance
 * that another request started) names a placeholder parent that no span has: the trace reader shows such a
 * firing as a top-level span of the trace.
 */
final class FiringSpans {

    private static final String UNKNOWN_PARENT = "0000000000000001";

    private FiringSpans() {
    }

    static TraceSpan start(Tracer tracer, InstanceRecord rec, String rule, String part, String callKey) {
        if (tracer == Tracer.NOOP || rec.traceId == null) {
            return TraceSpan.detached(null);
        }
        TraceContext cause = EvaluationCause.current();
        TraceContext parent = cause != null && cause.traceId().equals(rec.traceId) ? cause
                : new TraceContext(rec.traceId, UNKNOWN_PARENT);
        TraceSpan span = tracer.start("rule " + rule + " " + part, rec.tenant, parent)
                .attribute("orrery.workflow", rec.workflow).attribute("orrery.rule", rule)
                .attribute("orrery.key", rec.key);
        return callKey == null ? span : span.attribute("orrery.call", callKey);
    }
}
