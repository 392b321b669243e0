package io.orrery.gateway.internal.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orrery.api.trace.Tracer;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's meters: {@code orrery.gateway.requests} (a timer per endpoint and status) and
 * {@code orrery.gateway.ingested} (Kafka requests per outcome: accepted, dead-lettered, and dead-letter-failed for
 * each attempt to dead-letter one that failed, the record then polled again); and the tracer that
 * records each request's span ({@link Tracer#NOOP} while the node has no trace bundle).
 */
public final class GatewayMetrics {

    private final MeterRegistry registry;
    private volatile Tracer tracer = Tracer.NOOP;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters that record nothing, while the node has no registry. */
    public static GatewayMetrics none() {
        return new GatewayMetrics(null);
    }

    public Tracer tracer() {
        return tracer;
    }

    public void tracer(Tracer tracer) {
        this.tracer = tracer == null ? Tracer.NOOP : tracer;
    }

    void request(String endpoint, int status, long nanos) {
        if (registry == null) {
            return;
        }
        Timer.builder("orrery.gateway.requests").description("REST requests answered by the gateway")
                .tag("endpoint", endpoint).tag("status", Integer.toString(status))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void ingested(String outcome) {
        if (registry == null) {
            return;
        }
        Counter.builder("orrery.gateway.ingested").description("Instance requests consumed from Kafka")
                .tag("outcome", outcome).register(registry).increment();
    }
}
