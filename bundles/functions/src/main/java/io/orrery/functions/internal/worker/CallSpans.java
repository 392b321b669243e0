package io.orrery.functions.internal.worker;

import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.CallInbox;
import io.orrery.api.function.CallStart;
import io.orrery.api.function.ErrorClass;
import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.Tracer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The span of one function call's attempt, in its instance's trace: when it ran, which attempt, in which pool, in a
 * batch of how many, whether it began warm or cold (or in the server), and the class of its failure. It nests under the call's wait in the queue; without one (a call
 * not claimed from a queue) it names a placeholder parent, so the trace reader shows it at the top of the trace.
 */
final class CallSpans {

    private static final String UNKNOWN_PARENT = "0000000000000001";

    private CallSpans() {
    }

    static void record(Tracer tracer, CallInbox.ClaimedCall claimed, TraceContext queueWait, String pool, int batch,
                       CallStart began, Instant start, Instant end, ErrorClass failure) {
        OutboundCall call = claimed.call();
        if (tracer == Tracer.NOOP || call.traceId() == null) {
            return;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("orrery.workflow", call.instance().workflow());
        attributes.put("orrery.key", call.instance().key());
        attributes.put("orrery.call", call.callId());
        attributes.put("orrery.function", call.function());
        attributes.put("orrery.attempt", Integer.toString(claimed.attempt()));
        attributes.put("orrery.pool", pool);
        attributes.put("orrery.batch.size", Integer.toString(batch));
        attributes.put("orrery.start", began.tag());
        if (failure != null) {
            attributes.put("orrery.error.class", failure.tag());
        }
        tracer.record("function " + call.function(), call.instance().tenant(),
                queueWait != null && call.traceId().equals(queueWait.traceId()) ? queueWait
                        : new TraceContext(call.traceId(), UNKNOWN_PARENT), start, end, attributes);
    }
}
