package io.orrery.trace.internal;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orrery.api.metrics.MetricsExposition;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The node's one metrics registry, in the Prometheus format, with the JVM's own meters bound. Published as a
 * plain {@code MeterRegistry} service by {@link NodeMeterRegistry}: subsystems record through Micrometer's API and
 * never see Prometheus. The gateway serves the exposition ({@link MetricsExposition}) behind its authentication.
 */
@Component(service = {NodeMetrics.class, MetricsExposition.class}, immediate = true)
public class NodeMetrics implements MetricsExposition {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private JvmGcMetrics gc;

    @Activate
    void activate() {
        registry.config().commonTags("node", System.getProperty("karaf.name", "orrery"));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
    }

    @Deactivate
    void deactivate() {
        gc.close();
        registry.close();
    }

    /** The Prometheus text exposition of every meter. */
    @Override
    public String scrape() {
        return registry.scrape();
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }
}
