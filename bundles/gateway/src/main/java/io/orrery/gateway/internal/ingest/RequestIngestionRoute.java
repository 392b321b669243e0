package io.orrery.gateway.internal.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orrery.api.tenant.Principal;
import io.orrery.api.tenant.Tenant;
import io.orrery.api.trace.FailureKind;
import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.TraceSpan;
import io.orrery.gateway.internal.ApiServices;
import io.orrery.gateway.internal.GatewaySettings;
import io.orrery.gateway.internal.http.ApiProblem;
import io.orrery.gateway.internal.http.JsonBody;
import io.orrery.gateway.internal.http.ProblemMapping;
import io.orrery.gateway.internal.http.RequiredScope;
import io.orrery.gateway.internal.instance.CreateRequest;
import io.orrery.gateway.internal.instance.CreatedInstance;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommitFactory;
import org.apache.camel.model.OnExceptionDefinition;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Kafka ingestion: each record of {@code orrery.requests} is an instance request,
 * {@code {tenant?, workflow, key?, input, priority?, idempotencyKey?}}, sent with the tenant's token in the record
 * header {@code Authorization: Bearer <token>} (a token with the {@code run} scope). The record's {@code tenant},
 * when given, must be the token's (an administrator token must name it); absent, it is the token's. It is mapped
 * exactly as
 * {@code POST /tenants/{tenant}/workflows/{workflow}/instances} maps its body (same parser, same
 * {@link io.orrery.gateway.internal.instance.InstanceCreation}). A record that cannot be mapped goes to
 * {@code orrery.requests.dlq} unchanged, with the reason in header {@code orrery-error}; a failure of the server's
 * own is retried a few times first. Either way the route moves on to the next record, once the record is in the
 * dead-letter topic: one too large for it goes there without its value, as a reference to where it stays; one that
 * cannot be written there otherwise is not committed past but polled again, after a pause ({@link DeadLetterRetry}),
 * and the records behind it in its partition wait.
 *
 * <p>A record spends its tenant's request rate, the cluster-wide bucket REST requests spend (an administrator's
 * the administrators' bucket too). One over the rate goes to the dead-letter topic with reason {@code rate: ...}
 * and, in header {@code orrery-retry-after}, the seconds until the tenant has room again, for the sender to
 * publish it again then. It does not wait for the bucket: every tenant's records share the topic's partitions,
 * so waiting on one tenant's rate would stall the records of all the others queued behind it.
 */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE)
public class RequestIngestionRoute extends RouteBuilder {

    public static final String ERROR_HEADER = "orrery-error";
    public static final String SOURCE_HEADER = "orrery-source";
    /** On a record dead-lettered for its tenant's rate: the seconds until the tenant has room again. */
    public static final String RETRY_AFTER_HEADER = "orrery-retry-after";
    static final String TRACEPARENT = "traceparent";
    static final String AUTHORIZATION = "Authorization";

    private static final Logger LOG = LoggerFactory.getLogger(RequestIngestionRoute.class);
    private static final String BYTES = "org.apache.kafka.common.serialization.ByteArray";
    private static final int SERVER_RETRIES = 3;
    private static final long SERVER_RETRY_DELAY_MS = 500;

    private final ApiServices services;

    @Activate
    public RequestIngestionRoute(@Reference ApiServices services) {
        this.services = services;
    }

    @Override
    public void configure() {
        GatewaySettings settings = services.settings();
        // Synchronous: a failed send, and the pause before the record is polled again, stay on the consumer's thread.
        String deadLetters = "kafka:" + settings.requestsDlqTopic() + "?valueSerializer=" + BYTES + "Serializer"
                + "&synchronous=true";
        DeadLetterRetry retry = new DeadLetterRetry(settings.requestsDlqTopic(), deadLetters, services.metrics());

        deadLetter(onException(ApiProblem.class, IllegalArgumentException.class), deadLetters, retry);
        deadLetter(onException(Exception.class).maximumRedeliveries(SERVER_RETRIES)
                .redeliveryDelay(SERVER_RETRY_DELAY_MS), deadLetters, retry);

        // A failed exchange (a record not dead-lettered) breaks the consumer out: it commits the records before it
        // and polls its partition again from it. Kafka's own auto-commit would commit what was polled, run or not;
        // instead Camel commits each partition's records once they ran, with commitSync. Camel picks that commit
        // manager for allowManualCommit with the default manual-commit factory; nothing here commits by hand.
        KafkaEndpoint requests = endpoint("kafka:" + settings.requestsTopic() + "?groupId=" + settings.requestsGroupId()
                + "&autoOffsetReset=earliest&valueDeserializer=" + BYTES + "Deserializer"
                + "&breakOnFirstError=true&autoCommitEnable=false&allowManualCommit=true", KafkaEndpoint.class);
        requests.setKafkaManualCommitFactory(new DefaultKafkaManualCommitFactory());
        from(requests).routeId("orrery-requests-ingestion")
                .process(this::ingest);
    }

    /**
     * Handles the failure by sending the record to the dead-letter topic; when that fails too, the exception thrown
     * in the handler fails the exchange, so its record is not committed ({@link DeadLetterRetry}).
     */
    private void deadLetter(OnExceptionDefinition failure, String deadLetters, DeadLetterRetry retry) {
        failure.handled(true).process(this::markDeadLetter)
                .doTry().to(deadLetters).process(retry::deadLettered)
                .doCatch(Exception.class).process(retry::notDeadLettered)
                .end();
    }

    private void ingest(Exchange exchange) {
        // The record's span: under the producer's traceparent, the tenant's once the token was checked.
        TraceSpan span = services.metrics().tracer().start("kafka " + services.settings().requestsTopic(), "",
                parent(exchange.getIn())).attribute("messaging.system", "kafka");
        TraceContext trace = span.context();
        MDC.put("traceId", trace.traceId());
        try {
            byte[] value = exchange.getIn().getBody(byte[].class);
            JsonNode record = JsonBody.parse(value == null ? new byte[0] : value);
            if (!record.isObject()) {
                throw ApiProblem.badRequest("body", "expected a JSON object {tenant, workflow, key?, input, priority?, "
                        + "idempotencyKey?}");
            }
            ObjectNode request = ((ObjectNode) record).deepCopy();
            Principal principal = services.kafkaAuthentication().authenticate(header(exchange.getIn(), AUTHORIZATION));
            RequiredScope.check(principal, "instance-create", "POST");
            String tenant = tenantOf(principal, text(request.remove("tenant"), "tenant", false));
            String workflow = text(request.remove("workflow"), "workflow", true);
            String idempotencyKey = text(request.remove("idempotencyKey"), "idempotencyKey", false);
            requireTenant(tenant);
            span.tenant(tenant);
            MDC.put("tenant", tenant);
            spendRate(principal, tenant);
            CreatedInstance created = services.instances().create(tenant, workflow, CreateRequest.parse(request),
                    idempotencyKey, trace);
            services.metrics().ingested("accepted");
            LOG.debug("Request for {}/{}/{} accepted from Kafka: {}", tenant, workflow, created.key(), created.status());
        } catch (RuntimeException e) {
            span.failed(FailureKind.USER, "dead-lettered: " + clip(String.valueOf(e.getMessage())));
            throw e;
        } finally {
            span.close();
            MDC.remove("tenant");
            MDC.remove("traceId");
        }
    }

    /** As a REST request on the tenant's path spends them: the tenant's rate, and an administrator's own. */
    private void spendRate(Principal principal, String tenant) {
        if (principal.isAdmin()) {
            services.rateLimiter().acquireAdmin(services.directory().quota(null));
        }
        services.rateLimiter().acquire(tenant, services.directory().quota(tenant));
    }

    /** The token's tenant; a record naming another is refused as if the tenant did not exist (as REST does). */
    private static String tenantOf(Principal principal, String named) {
        if (named == null) {
            if (principal.isAdmin()) {
                throw ApiProblem.badRequest("tenant", "required with an administrator token");
            }
            return principal.tenant();
        }
        if (!principal.mayAccess(named)) {
            throw ApiProblem.notFound("tenant", "tenant: '" + clip(named) + "' is not the token's tenant");
        }
        return named;
    }

    private static String header(Message message, String name) {
        Object value = message.getHeader(name);
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : value instanceof String s ? s : null;
    }

    private void requireTenant(String tenant) {
        if (!Tenant.NAME.matcher(tenant).matches() || services.directory().find(tenant).isEmpty()) {
            throw ApiProblem.notFound("tenant", "tenant: no tenant named '" + clip(tenant) + "'");
        }
    }

    /** Keeps the record's value, key and trace context; adds the reason and where the record came from. */
    private void markDeadLetter(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ApiProblem problem = ProblemMapping.of(failure);
        String reason = problem.getMessage();
        if (problem.field() != null && !reason.startsWith(problem.field() + ":")) {
            reason = problem.field() + ": " + reason;
        }
        String retryAfter = problem.status() == 429 ? problem.headers().get("Retry-After") : null;
        if (retryAfter != null) {
            reason = "rate: " + reason;
        }
        Message message = exchange.getIn();
        Object key = message.getHeader("kafka.KEY");
        Object traceparent = message.getHeader(TRACEPARENT);
        String source = message.getHeader("kafka.TOPIC") + "/" + message.getHeader("kafka.PARTITION") + "@"
                + message.getHeader("kafka.OFFSET");
        message.removeHeaders("*");
        if (key != null) {
            message.setHeader("kafka.KEY", key);
        }
        if (traceparent != null) {
            message.setHeader(TRACEPARENT, traceparent);
        }
        if (message.getBody() == null) {
            message.setBody(new byte[0]);
        }
        message.setHeader(ERROR_HEADER, reason);
        message.setHeader(SOURCE_HEADER, source);
        if (retryAfter != null) {
            message.setHeader(RETRY_AFTER_HEADER, retryAfter);
        }
    }

    /** The producer's context from the record's W3C {@code traceparent} header; null starts a new trace. */
    private static TraceContext parent(Message message) {
        Object header = message.getHeader(TRACEPARENT);
        String value = header instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : header instanceof String s ? s : null;
        return value == null ? null : TraceContext.fromTraceparent(value);
    }

    private static String text(JsonNode node, String field, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiProblem.badRequest(field, "required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw ApiProblem.badRequest(field, "expected a string, got " + node.getNodeType().name().toLowerCase());
        }
        return node.textValue();
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
