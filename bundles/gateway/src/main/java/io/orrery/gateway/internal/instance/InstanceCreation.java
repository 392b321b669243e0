package io.orrery.gateway.internal.instance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.api.trace.TraceContext;
import io.orrery.gateway.internal.http.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creating an instance, or adding facts to an existing one: the one path that {@code POST .../instances} and the
 * {@code orrery.requests} Kafka topic share, so both map a request identically (names checked, the
 * Idempotency-Key honoured, the instance quota applied, the caller's trace carried to the engine).
 */
public final class InstanceCreation {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceCreation.class);
    /** Map members sorted, so equal requests have equal fingerprints whatever their member order. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private final WorkflowEngine engine;
    private final InstanceQuota quota;
    private final IdempotencyRecords idempotency;

    public InstanceCreation(WorkflowEngine engine, InstanceQuota quota, IdempotencyRecords idempotency) {
        this.engine = engine;
        this.quota = quota;
        this.idempotency = idempotency;
    }

    /**
     * @param tenant         an existing tenant, already authorised
     * @param idempotencyKey the Idempotency-Key, or null
     */
    public CreatedInstance create(String tenant, String workflow, CreateRequest request, String idempotencyKey,
                                  TraceContext trace) {
        requireWorkflowName(workflow);
        if (idempotencyKey == null) {
            return submit(tenant, workflow, request, trace);
        }
        if (!Names.IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ApiProblem.badRequest("Idempotency-Key", "must be 1 to 255 printable ASCII characters");
        }
        Optional<CreatedInstance> earlier = idempotency.reserve(tenant, workflow, idempotencyKey, fingerprint(workflow, request));
        if (earlier.isPresent()) {
            return earlier.get();
        }
        try (IdempotencyRecords.Lease held = idempotency.keep(tenant, workflow, idempotencyKey)) {
            CreatedInstance created = submit(tenant, workflow, request, trace);
            idempotency.complete(tenant, workflow, idempotencyKey, created);
            return created;
        } catch (RuntimeException e) {
            idempotency.release(tenant, workflow, idempotencyKey);
            throw e;
        }
    }

    /** 404 naming {@code workflow} for a name no workflow can have. */
    public static void requireWorkflowName(String workflow) {
        if (!Names.isWorkflow(workflow)) {
            throw ApiProblem.notFound("workflow", "workflow: no workflow named '" + clip(workflow) + "'");
        }
    }

    private CreatedInstance submit(String tenant, String workflow, CreateRequest request, TraceContext trace) {
        InstanceView view = quota.admit(tenant, workflow, request.key(), () -> engine.submit(new InstanceRequest(
                tenant, workflow, request.key(), request.input(), request.priority(), trace)));
        LOG.debug("Request for {} accepted: {}", view.id(), view.status());
        return new CreatedInstance(view.id().key(), view.status().name(), trace.traceId(), false);
    }

    static String fingerprint(String workflow, CreateRequest request) {
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("workflow", workflow);
        canonical.put("key", request.key());
        canonical.put("input", request.input());
        canonical.put("priority", request.priority());
        try {
            byte[] json = CANONICAL.writeValueAsBytes(canonical);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint a request", e);
        }
    }

    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        String c = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return new String(c.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
    }
}
