package io.orrery.functions.internal.pool;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.orrery.api.function.CallTicket;
import io.orrery.api.function.ErrorClass;
import io.orrery.api.function.PoolView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * Micrometer figures of the pools and the functions run in them, tagged by tenant, function and pool:
 * {@code orrery.function.invocations}, {@code orrery.function.failures} (by {@code class}),
 * {@code orrery.function.latency}, {@code orrery.function.queue.wait} (enqueued to started) and
 * {@code orrery.pool.admission.wait} (claimed to started), {@code orrery.function.batch.size} (calls per slot, 1
 * for a call on its own), and per pool {@code orrery.pool.slots.in.use},
 * {@code orrery.pool.slots.lent} and {@code orrery.pool.waiting}.
 */
public final class PoolMeters implements PoolEvents {

    private final MeterRegistry registry;
    private final List<Meter> poolGauges = new ArrayList<>();

    public PoolMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Gauges for each pool of the tree as it is now (called again after every change of the tree). */
    public synchronized void watch(PoolTree tree) {
        poolGauges.forEach(registry::remove);
        poolGauges.clear();
        for (PoolView pool : tree.pools()) {
            gauge(tree, pool.name(), "orrery.pool.slots.in.use", "Slots held by calls of the pool", PoolView::inUse);
            gauge(tree, pool.name(), "orrery.pool.slots.lent", "Idle reserved slots of the pool lent to siblings",
                    PoolView::lent);
            gauge(tree, pool.name(), "orrery.pool.waiting", "Claimed calls waiting for a slot", PoolView::waiting);
        }
    }

    private void gauge(PoolTree tree, String pool, String name, String help, ToIntFunction<PoolView> figure) {
        poolGauges.add(Gauge.builder(name, tree, t -> t.pools().stream().filter(v -> v.name().equals(pool))
                .mapToInt(figure).findFirst().orElse(0)).description(help).tag("pool", pool).register(registry));
    }

    /**
     * Removes the meters of the tenant's calls (how many): it ended on this node. Removed from this registry (the
     * component's composite), they leave the node's too; one kept here after the node's registry dropped it would
     * go on counting a tenant created later under the same name where nothing reads it.
     */
    public synchronized int forget(String tenant) {
        List<Meter> owned = registry.getMeters().stream().filter(m -> tenant.equals(m.getId().getTag("tenant")))
                .toList();
        owned.forEach(registry::remove);
        return owned.size();
    }

    @Override
    public void admitted(CallTicket ticket, String pool, long waitedNanos) {
        Tags tags = tags(ticket, pool);
        timer("orrery.pool.admission.wait", "Time a claimed call waited for a slot", tags)
                .record(waitedNanos, TimeUnit.NANOSECONDS);
        DistributionSummary.builder("orrery.function.batch.size").description("Calls run together in one slot")
                .tags(tags).publishPercentiles(0.5, 0.95).register(registry).record(ticket.calls());
        if (ticket.enqueuedAt() != null) {
            Duration sinceEnqueued = Duration.between(ticket.enqueuedAt(), Instant.now());
            timer("orrery.function.queue.wait", "Time from a call's enqueue to its start", tags)
                    .record(sinceEnqueued.isNegative() ? Duration.ZERO : sinceEnqueued);
        }
    }

    @Override
    public void released(CallTicket ticket, String pool, ErrorClass failure, long ranNanos) {
        Tags tags = tags(ticket, pool);
        Counter.builder("orrery.function.invocations").description("Attempts of the function").tags(tags)
                .register(registry).increment(ticket.calls());
        if (failure != null) {
            Counter.builder("orrery.function.failures").description("Failed attempts by class").tags(tags)
                    .tag("class", failure.tag()).register(registry).increment();
        }
        timer("orrery.function.latency", "Time an attempt ran", tags).record(ranNanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String name, String help, Tags tags) {
        return Timer.builder(name).description(help).tags(tags).publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
    }

    private static Tags tags(CallTicket ticket, String pool) {
        return Tags.of("tenant", ticket.tenant(), "function", ticket.function(), "pool", pool);
    }
}
