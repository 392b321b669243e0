package io.orrery.gateway.schema;

import java.util.List;
import java.util.Map;

/**
 * One instance in full: what {@code GET .../instances/{key}} answers.
 *
 * @param completed whether it has published an output
 * @param output    what {@code complete} published last; null before
 * @param failure   why it failed, while FAILED
 */
public record InstanceDetail(String tenant, String workflow, String key, int version, String status, boolean completed,
                             String failure, String updatedAt, Map<String, Object> input, Map<String, Object> state,
                             Map<String, Object> output, List<PendingCall> pending, List<Firing> recentFirings,
                             String traceId, String createdAt) {

    /** A call that went out and has not settled. */
    public record PendingCall(String callId, String rule, String kind, String target, String key, int priority,
                              String madeAt) { }

    /** One entry of the firing log. */
    public record Firing(String rule, String kind, int version, String at, int calls, String callKey) { }
}
