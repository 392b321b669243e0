package io.orrery.functions.internal.host;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Warm capacity in Micrometer, per tenant and function: {@code orrery.function.warm.hits} (calls that found their
 * function warm), {@code orrery.function.cold.starts} and {@code orrery.function.cold.start} (the time a cold call
 * waited for a host to start and the function to warm up); per tenant, {@code orrery.function.hosts.target} (the
 * hosts load and warm capacity ask for) and {@code orrery.function.hosts.running}.
 */
public final class WarmMeters implements HostEvents {

    private static final List<String> PER_TENANT = List.of("orrery.function.warm.hits", "orrery.function.cold.starts",
            "orrery.function.cold.start", "orrery.function.hosts.target", "orrery.function.hosts.running");

    private final Supplier<MeterRegistry> registry;
    /** Per tenant: its host target and running hosts, read by the gauges. */
    private final Map<String, HostCounts> hosts = new ConcurrentHashMap<>();

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

    @Override
    public void hosts(String tenant, int target, int running) {
        HostCounts counts = hosts.computeIfAbsent(tenant, t -> new HostCounts());
        counts.target.set(target);
        counts.running.set(running);
        MeterRegistry r = registry.get();
        if (r != null && counts.registeredIn != r) { // once per registry: Micrometer warns of a gauge made twice
            counts.registeredIn = r;
            Gauge.builder("orrery.function.hosts.target", counts.target, AtomicInteger::get)
                    .description("Function hosts the tenant's load and warm capacity ask for").tag("tenant", tenant)
                    .register(r);
            Gauge.builder("orrery.function.hosts.running", counts.running, AtomicInteger::get)
                    .description("Function hosts the tenant runs").tag("tenant", tenant).register(r);
        }
    }

    /**
     * Removes the tenant's meters: its gauges would otherwise keep its host counts and read them for ever, and a
     * tenant deploying again under its name would find its counts already "registered" and get no gauges at all.
     */
    @Override
    public void ended(String tenant) {
        hosts.remove(tenant);
        MeterRegistry r = registry.get();
        if (r != null) {
            for (String name : PER_TENANT) {
                r.find(name).tag("tenant", tenant).meters().forEach(r::remove);
            }
        }
    }

    /** A tenant's host figures as the gauges read them, and the registry they were last registered in. */
    private static final class HostCounts {
        final AtomicInteger target = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        volatile MeterRegistry registeredIn;
    }
}
