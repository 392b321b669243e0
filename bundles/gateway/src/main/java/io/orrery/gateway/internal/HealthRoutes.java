package io.orrery.gateway.internal;

import io.orrery.api.health.HealthIndicator;
import io.orrery.api.health.HealthReport;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * {@code GET /api/v1/health}: no authentication; 200 when every component is UP, 503 naming the failing ones.
 */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE)
public class HealthRoutes extends RouteBuilder {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<HealthIndicator> indicators;

    public HealthRoutes() {
    }

    HealthRoutes(List<HealthIndicator> indicators) {
        this.indicators = indicators;
    }

    @Override
    public void configure() {
        rest("/health").description("Health of each infrastructure component")
                .get().id("health").produces("application/json").to("direct:orrery-health");

        from("direct:orrery-health").routeId("orrery-health").process(this::answer);
    }

    private void answer(Exchange exchange) throws Exception {
        HealthReport report = HealthReport.of(indicators);
        JsonResponse.send(exchange, report.isUp() ? 200 : 503, HealthDocument.of(report));
    }
}
