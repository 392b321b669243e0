package io.orrery.engine.internal.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.CallInbox;
import io.orrery.api.queue.Claim;
import io.orrery.api.queue.ClaimRequest;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueMessage;
import io.orrery.api.queue.QueueService;
import io.orrery.api.trace.TraceContext;
import io.orrery.engine.internal.CallDispatch;
import io.orrery.engine.internal.CallFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Calls and results through Orrery's queues. Function calls go to the tenant's {@value #FUNCTIONS} queue (the
 * call's priority, exclusivity key and trace, the call's message id so a re-dispatch is idempotent); results and
 * timers go to the tenant's {@value #RESULTS} queue, a timer as a result with a not-before time. Workers claim
 * from every tenant's function queue; the engine's {@link ResultConsumer} claims from every results queue.
 */
public final class QueueCallPort implements CallDispatch, CallInbox {

    public static final String FUNCTIONS = "functions";
    public static final String RESULTS = "engine.results";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final QueueService queues;
    private final Clock clock;
    private final CallTraces held = new CallTraces(100_000);
    private volatile QueueWaits waits = QueueWaits.NONE;

    public QueueCallPort(QueueService queues, Clock clock) {
        this.queues = queues;
        this.clock = clock;
    }

    /** Records each claimed call's queue wait from now on, and sends its result under it. */
    public void traced(QueueWaits waits) {
        this.waits = waits;
    }

    /** The queue wait of a call this node's worker holds: the parent of its function call's span; null untraced. */
    @Override
    public TraceContext waitOf(ClaimedCall call) {
        return held.of(call.call().messageId());
    }

    @Override
    public void dispatch(List<OutboundCall> calls) {
        List<QueueMessage> messages = new ArrayList<>(calls.size());
        for (OutboundCall c : calls) {
            TraceContext trace = c.traceId() == null ? TraceContext.newTrace()
                    : new TraceContext(c.traceId(), c.parentSpanId() != null ? c.parentSpanId()
                            : TraceContext.newTrace().spanId());
            if (c.kind() == CallKind.TIMER) {
                Instant due = clock.instant().plusMillis(c.delayMs());
                messages.add(QueueMessage.builder(QueueId.of(c.instance().tenant(), RESULTS))
                        .id(timerMessageId(c.instance(), c.callId())).priority(c.priority()).notBefore(due).trace(trace)
                        .payload(write(CallResult.success(c.instance(), c.callId(),
                                Map.of("firedAt", due.toEpochMilli()), 1)))
                        .build());
            } else {
                messages.add(QueueMessage.builder(QueueId.of(c.instance().tenant(), FUNCTIONS))
                        .id(callMessageId(c.instance(), c.callId())).priority(c.priority()).exclusiveKey(c.exclusive())
                        .maxAttempts(c.maxAttempts() + 1).trace(trace).payload(write(c)).build());
            }
        }
        queues.enqueueAll(messages);
    }

    /** Sends settled calls back to the engine, idempotently on each call's id. */
    public void sendResults(List<CallResult> results) {
        List<QueueMessage> messages = new ArrayList<>(results.size());
        for (CallResult result : results) {
            InstanceId i = result.instance();
            TraceContext wait = held.settled(path(i, result.callId()));
            messages.add(QueueMessage.builder(QueueId.of(i.tenant(), RESULTS)).id(resultMessageId(i, result.callId()))
                    .trace(wait == null ? TraceContext.newTrace() : wait).payload(write(result)).build());
        }
        queues.enqueueAll(messages);
    }

    @Override
    public void completeAll(List<ClaimedCall> calls) {
        queues.ackAll(calls.stream().map(c -> (Claim) c.handle()).toList());
    }

    @Override
    public List<ClaimedCall> claim(int max, Duration wait) throws InterruptedException {
        return claimed(queues.claim(new ClaimRequest(List.of(QueueId.anyTenant(FUNCTIONS)), max, null, wait)));
    }

    private List<ClaimedCall> claimed(List<Claim> claims) {
        List<ClaimedCall> out = new ArrayList<>(claims.size());
        QueueWaits traced = waits;
        for (Claim c : claims) {
            OutboundCall call = read(c.message().payload(), OutboundCall.class);
            held.held(call.messageId(), traced.waited(c));
            out.add(new ClaimedCall(call, c.message().attempts(), c));
        }
        return out;
    }

    @Override
    public List<ClaimedCall> claimFrom(Set<String> tenants, int max, Duration wait) throws InterruptedException {
        List<QueueId> ids = new ArrayList<>(tenants.size());
        for (String tenant : tenants) {
            try {
                ids.add(QueueId.of(tenant, FUNCTIONS));
            } catch (IllegalArgumentException e) {
                // not a tenant name a queue can have: it has no calls
            }
        }
        return ids.isEmpty() ? List.of() : claimed(queues.claim(new ClaimRequest(ids, max, null, wait)));
    }

    @Override
    public Instant enqueuedAt(ClaimedCall call) {
        return ((Claim) call.handle()).enqueuedAt();
    }

    @Override
    public void complete(ClaimedCall call) {
        queues.ack((Claim) call.handle());
    }

    @Override
    public Duration lease(ClaimedCall call) {
        return queues.settings(((Claim) call.handle()).queueId()).leaseTime();
    }

    @Override
    public ClaimedCall extend(ClaimedCall call, Duration lease) {
        return queues.extend((Claim) call.handle(), lease)
                .map(renewed -> new ClaimedCall(call.call(), call.attempt(), renewed)).orElse(null);
    }

    @Override
    public void retryLater(ClaimedCall call, Duration delay, String reason) {
        held.settled(call.call().messageId()); // its next claim waits anew
        queues.nack((Claim) call.handle(), delay, reason);
    }

    /** The message id of a function call in its tenant's {@value #FUNCTIONS} queue. */
    static String callMessageId(InstanceId instance, String callId) {
        return messageId(path(instance, callId));
    }

    /** The message id of a function call's result in its tenant's {@value #RESULTS} queue. */
    static String resultMessageId(InstanceId instance, String callId) {
        return messageId(path(instance, callId) + "/result");
    }

    /** The message id of a timer in its tenant's {@value #RESULTS} queue: it is its own result. */
    static String timerMessageId(InstanceId instance, String callId) {
        return messageId(path(instance, callId) + "/timer");
    }

    /** What {@link OutboundCall#messageId()} is: unique across the cluster. */
    private static String path(InstanceId instance, String callId) {
        return instance.tenant() + "/" + instance.workflow() + "/" + instance.key() + "/" + callId;
    }

    static String messageId(String id) {
        // Queue message ids are at most 200 characters; long business keys are hashed.
        return id.length() <= 200 ? id : id.substring(0, 120) + "#" + Integer.toHexString(id.hashCode())
                + Long.toHexString(id.chars().asLongStream().reduce(7, (a, b) -> a * 31 + b));
    }

    /** A call or result in {@link CallFormat}, or as JSON if it carries data the binary form does not keep. */
    static byte[] write(Object value) {
        byte[] binary = value instanceof OutboundCall c ? CallFormat.encode(c)
                : value instanceof CallResult r ? CallFormat.encode(r) : null;
        if (binary != null) {
            return binary;
        }
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads either form: {@link CallFormat}'s, or JSON (written by earlier versions, or for non-plain data). */
    public static <T> T read(byte[] json, Class<T> type) {
        if (CallFormat.isBinary(json)) {
            return type.cast(type == OutboundCall.class ? CallFormat.decodeCall(json) : CallFormat.decodeResult(json));
        }
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
