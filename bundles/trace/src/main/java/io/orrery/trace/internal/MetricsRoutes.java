package io.orrery.trace.internal;

import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/** {@code GET /api/v1/metrics}: every meter of the node in the Prometheus text format. */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE)
public class MetricsRoutes extends RouteBuilder {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final NodeMetrics metrics;

    @Activate
    public MetricsRoutes(@Reference NodeMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void configure() {
        rest("/metrics").description("Prometheus scrape endpoint")
                .get().id("metrics").produces(PROMETHEUS_TEXT).to("direct:orrery-metrics");

        from("direct:orrery-metrics").routeId("orrery-metrics").process(this::scrape);
    }

    private void scrape(Exchange exchange) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, PROMETHEUS_TEXT);
        exchange.getMessage().setBody(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
