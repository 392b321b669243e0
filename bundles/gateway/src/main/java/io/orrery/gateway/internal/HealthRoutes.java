package io.orrery.gateway.internal;

import io.orrery.api.health.ComponentHealth;
import io.orrery.api.health.HealthIndicator;
import io.orrery.api.health.HealthReport;
import io.orrery.gateway.internal.http.ApiHandler;
import io.orrery.gateway.internal.http.ApiRequest;
import io.orrery.gateway.internal.http.ApiResponse;
import io.orrery.gateway.internal.http.ApiRouteBuilder;
import io.orrery.gateway.internal.http.EndpointSpec;
import io.orrery.gateway.internal.http.GatewayMetrics;
import io.orrery.gateway.internal.http.RequestGate;
import io.orrery.gateway.internal.http.RestDocs;
import io.orrery.gateway.schema.HealthStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.model.rest.RestDefinition;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.CollectionType;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * {@code GET /api/v1/health}: 200 when every subsystem is UP, 503 otherwise. Without a token it tells the status of
 * each subsystem and nothing else (no addresses, members or brokers, which would map the deployment for anyone);
 * with the administrator's token it adds the failing subsystems and every detail. A token that is given is checked.
 * The gateway's services are optional here: a node whose store or tenant directory is down still answers (503,
 * status only) instead of losing the endpoint.
 */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE)
public class HealthRoutes extends ApiRouteBuilder {

    static final EndpointSpec HEALTH = EndpointSpec.tokenOptional("health", "/health");

    /**
     * The indicators, taken only when a request asks: the node's Hazelcast member registers its services from its
     * own activation, and a component that took the member's indicator while that activation was still running
     * could be refused it for good (DS gives up after a wait), leaving {@code hazelcast} DOWN for ever.
     */
    @Reference(service = HealthIndicator.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, collectionType = CollectionType.SERVICEOBJECTS)
    private volatile List<ComponentServiceObjects<HealthIndicator>> indicators;

    private List<HealthIndicator> fixed;

    @Activate
    public HealthRoutes(@Reference(cardinality = ReferenceCardinality.OPTIONAL,
            policyOption = ReferencePolicyOption.GREEDY) ApiServices services) {
        super(services != null ? services.gate() : RequestGate.withoutAuthentication(),
                services != null ? services.metrics() : GatewayMetrics.none());
    }

    HealthRoutes(ApiServices services, List<HealthIndicator> indicators) {
        this(services);
        this.fixed = indicators;
    }

    @Override
    protected void routes() {
        RestDocs docs = new RestDocs(getContext());
        RestDefinition health = rest("/health").description("Health of each subsystem").get().id(HEALTH.id())
                .produces(JSON).description("UP or DOWN, and each subsystem's status; details with the administrator's token");
        health = docs.answer(health, 200, "Every subsystem is UP", HealthStatus.class);
        health = docs.answer(health, 503, "A subsystem is DOWN", HealthStatus.class);
        docs.problem(health, 401, "A token was given and is not valid").to(direct(HEALTH));
        endpoint(HEALTH, ApiHandler.immediate(this::answer));
    }

    private ApiResponse answer(ApiRequest request) {
        HealthReport report = report();
        boolean details = request.principal() != null && request.principal().isAdmin();
        Map<String, Map<String, Object>> components = new LinkedHashMap<>();
        for (ComponentHealth c : report.components()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", c.status().name());
            if (details) {
                entry.putAll(c.details());
            }
            components.put(c.component(), entry);
        }
        HealthStatus status = new HealthStatus(report.isUp() ? "UP" : "DOWN", details ? report.failing() : null,
                components);
        return ApiResponse.json(report.isUp() ? 200 : 503, status);
    }

    private HealthReport report() {
        if (fixed != null) {
            return HealthReport.of(fixed);
        }
        List<ComponentServiceObjects<HealthIndicator>> objects = indicators == null ? List.of() : List.copyOf(indicators);
        List<HealthIndicator> taken = new ArrayList<>(objects.size());
        try {
            for (ComponentServiceObjects<HealthIndicator> o : objects) {
                taken.add(o.getService());
            }
            return HealthReport.of(taken.stream().filter(Objects::nonNull).toList());
        } finally {
            for (int i = 0; i < taken.size(); i++) {
                if (taken.get(i) != null) {
                    objects.get(i).ungetService(taken.get(i));
                }
            }
        }
    }
}
