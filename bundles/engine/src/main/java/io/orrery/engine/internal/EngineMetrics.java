package io.orrery.engine.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.engine.FiringKind;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.trace.Tracer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's meters: {@code orrery.engine.firings} per tenant, workflow, rule and kind;
 * {@code orrery.engine.section} (time of matches, actions, reactions); {@code orrery.engine.instances} by status
 * as this node has seen them change; duplicates, time-limit violations and loop-guard trips.
 */
public final class EngineMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> firings = new ConcurrentHashMap<>();
    private final Map<String, Timer> sections = new ConcurrentHashMap<>();
    private final Map<InstanceStatus, AtomicLong> statuses = new EnumMap<>(InstanceStatus.class);
    private final Counter duplicates;
    private final Counter overruns;
    private final Counter loops;
    /** Records rule firing spans; {@link Tracer#NOOP} while the node has no trace bundle. */
    private volatile Tracer tracer = Tracer.NOOP;

    public EngineMetrics(MeterRegistry registry) {
        this.registry = registry == null ? new SimpleMeterRegistry() : registry;
        for (InstanceStatus s : InstanceStatus.values()) {
            AtomicLong n = new AtomicLong();
            statuses.put(s, n);
            io.micrometer.core.instrument.Gauge.builder("orrery.engine.instances", n, AtomicLong::get)
                    .description("Instances this node saw change into each status, less those it saw leave it")
                    .tag("status", s.name()).register(this.registry);
        }
        duplicates = counter("orrery.engine.results.duplicate", "Results that arrived again and were not applied");
        overruns = counter("orrery.engine.time.limit.exceeded", "Rule sections stopped at their time limit");
        loops = counter("orrery.engine.loop.guard.tripped", "Instances failed by the loop guard");
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public Tracer tracer() {
        return tracer;
    }

    public void tracer(Tracer tracer) {
        this.tracer = tracer == null ? Tracer.NOOP : tracer;
    }

    void fired(String tenant, String workflow, String rule, FiringKind kind) {
        firings.computeIfAbsent(tenant + '\0' + workflow + '\0' + rule + '\0' + kind, k -> Counter
                .builder("orrery.engine.firings").description("Rule sections run: actions, reactions, error handlers")
                .tag("tenant", tenant).tag("workflow", workflow).tag("rule", rule)
                .tag("kind", kind.name()).register(registry)).increment();
    }

    /**
     * Drops the tenant's firing counters, from the registry too: the tenant is deleted, and one created later
     * under its name starts from nothing. Removed from this registry (the engine's composite), they leave the
     * node's as well; a counter kept here after the node's registry dropped it would count where nothing reads it.
     */
    void forget(String tenant) {
        forgetFirings(tenant + '\0');
    }

    /** Drops the firing counters of a workflow this node no longer serves (undeployed, or its tenant deleted). */
    void forget(String tenant, String workflow) {
        forgetFirings(tenant + '\0' + workflow + '\0');
    }

    private void forgetFirings(String keyPrefix) {
        firings.entrySet().removeIf(e -> {
            boolean gone = e.getKey().startsWith(keyPrefix);
            if (gone) {
                registry.remove(e.getValue());
            }
            return gone;
        });
    }

    void section(String kind, long nanos) {
        sections.computeIfAbsent(kind, k -> Timer.builder("orrery.engine.section")
                .description("Time rule sections took: matches, actions, reactions, error handlers").tag("section", k)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    void statusChanged(InstanceStatus from, InstanceStatus to) {
        if (from != to) {
            if (from != null) {
                statuses.get(from).decrementAndGet();
            }
            statuses.get(to).incrementAndGet();
        }
    }

    void duplicate() {
        duplicates.increment();
    }

    void overrun() {
        overruns.increment();
    }

    void loopGuard() {
        loops.increment();
    }
}
