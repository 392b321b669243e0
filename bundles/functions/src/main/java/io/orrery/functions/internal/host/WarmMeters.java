package io.orrery.functions.internal.host;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Warm capacity in Micrometer, per tenant and function: {@code orrery.function.warm.hits} (calls that found their
 * function warm), {@code orrery.function.cold.starts} and {@code orrery.function.cold.start} (the time a cold call
 * waited for a host to start and the function to warm up).
 */
public final class WarmMeters implements HostEvents {

    private final Supplier<MeterRegistry> registry;

    /** @param registry the registry now, or null while there is none */
    public WarmMeters(Supplier<MeterRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public void warmHit(String tenant, String function) {
        MeterRegistry r = registry.get();
        if (r != null) {
            Counter.builder("orrery.function.warm.hits").description("Calls that found their function warm")
                    .tag("tenant", tenant).tag("function", function).register(r).increment();
        }
    }

    @Override
    public void coldStart(String tenant, String function, long nanos) {
        MeterRegistry r = registry.get();
        if (r != null) {
            Counter.builder("orrery.function.cold.starts").description("Calls that waited for a host or a warm-up")
                    .tag("tenant", tenant).tag("function", function).register(r).increment();
            Timer.builder("orrery.function.cold.start").description("Time a cold call waited to get ready")
                    .tag("tenant", tenant).tag("function", function).register(r).record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
