package io.orrery.gateway.internal;

import io.orrery.api.metrics.MetricsExposition;
import io.orrery.api.tenant.Principal;
import io.orrery.gateway.internal.http.ApiHandler;
import io.orrery.gateway.internal.http.ApiRequest;
import io.orrery.gateway.internal.http.ApiResponse;
import io.orrery.gateway.internal.http.ApiRouteBuilder;
import io.orrery.gateway.internal.http.EndpointSpec;
import io.orrery.gateway.internal.http.RestDocs;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.model.rest.RestDefinition;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * {@code GET /api/v1/metrics}: the node's meters in the Prometheus text format, behind a bearer token. The
 * administrator scrapes every series; a tenant only the series labelled with its own name, so no other tenant's
 * names, workflows, rules or queues show.
 */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE)
public class MetricsRoutes extends ApiRouteBuilder {

    static final EndpointSpec METRICS = EndpointSpec.of("metrics", "/metrics");

    private final MetricsExposition exposition;

    @Activate
    public MetricsRoutes(@Reference ApiServices services, @Reference MetricsExposition exposition) {
        super(services.gate(), services.metrics());
        this.exposition = exposition;
    }

    @Override
    protected void routes() {
        RestDocs docs = new RestDocs(getContext());
        RestDefinition metrics = authenticatedRest("/metrics", "metrics").get().id(METRICS.id())
                .produces(MetricsExposition.PROMETHEUS_TEXT).security(BEARER)
                .description("Prometheus scrape endpoint: every series for the administrator, a tenant's own for a tenant");
        docs.answer(metrics, 200, "The series in the Prometheus text format", null).to(direct(METRICS));
        endpoint(METRICS, ApiHandler.immediate(this::scrape));
    }

    private ApiResponse scrape(ApiRequest request) {
        Principal caller = request.principal();
        String text = exposition.scrape();
        return ApiResponse.text(200, MetricsExposition.PROMETHEUS_TEXT,
                caller.isAdmin() ? text : TenantSeries.of(text, caller.tenant()));
    }
}
