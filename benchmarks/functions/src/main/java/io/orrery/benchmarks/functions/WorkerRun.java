package io.orrery.benchmarks.functions;

import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.CallAdmission;
import io.orrery.api.function.CallTicket;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.queue.Backoff;
import io.orrery.engine.internal.MemoryCallPort;
import io.orrery.functions.internal.worker.FixedSlots;
import io.orrery.functions.internal.worker.FunctionWorker;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Calls through the node's function worker: claims from the in-memory port (no queue, so the figures are the
 * worker's and the function's), admission by fixed slots, results counted as they settle.
 */
final class WorkerRun {

    private static final int CLAIMERS = 2;
    private static final int CLAIM = 64;

    private WorkerRun() {
    }

    static OutboundCall call(String tenant, String function, int n) {
        return new OutboundCall(new InstanceId(tenant, "bench", "k" + n), "c", "rule", CallKind.FUNCTION, function,
                Map.of("n", n), null, 5, 60_000, 1, null, 0, null);
    }

    /** Calls per second for {@code calls} calls waiting at once, run in {@code slots} slots. */
    static double throughput(OrreryFunction f, String tenant, int calls, int slots) throws InterruptedException {
        return throughput(f, tenant, calls, slots, 0);
    }

    /** As above, in batches of {@code batch} calls as the pools' {@code batch.<function>} would ask (0: none). */
    static double throughput(OrreryFunction f, String tenant, int calls, int slots, int batch)
            throws InterruptedException {
        MemoryCallPort port = new MemoryCallPort(Clock.systemUTC());
        List<OutboundCall> backlog = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            backlog.add(call(tenant, f.name(), i));
        }
        port.dispatch(backlog);
        CountDownLatch settled = new CountDownLatch(calls);
        AtomicReference<String> failure = new AtomicReference<>();
        CallAdmission slotsOf = batched(new FixedSlots(slots, slots * CLAIM), batch);
        long began = System.nanoTime();
        try (var worker = new FunctionWorker(port, (t, n) -> Optional.of(f), results -> results.forEach(r -> {
            if (r.failed()) {
                failure.compareAndSet(null, r.error());
            }
            settled.countDown();
        }), CLAIMERS, CLAIM, Backoff.defaults(), "bench", () -> slotsOf)) {
            if (!settled.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException(f.name() + ": " + settled.getCount() + " calls still unsettled");
            }
        }
        long nanos = System.nanoTime() - began;
        if (failure.get() != null) {
            throw new IllegalStateException(f.name() + " failed: " + failure.get());
        }
        return calls / (nanos / 1e9);
    }

    private static CallAdmission batched(CallAdmission slots, int batch) {
        return new CallAdmission() {
            @Override
            public int room() {
                return slots.room();
            }

            @Override
            public Set<String> owedTenants() {
                return slots.owedTenants();
            }

            @Override
            public int batchSize(String tenant, String function) {
                return batch;
            }

            @Override
            public Waiting request(CallTicket ticket, Consumer<Slot> start) {
                return slots.request(ticket, start);
            }
        };
    }

    /** Milliseconds from dispatching one call to a worker already waiting for calls until its result arrives. */
    static double firstCall(OrreryFunction f, String tenant) throws InterruptedException {
        MemoryCallPort port = new MemoryCallPort(Clock.systemUTC());
        CountDownLatch settled = new CountDownLatch(1);
        AtomicReference<CallResult> result = new AtomicReference<>();
        AtomicInteger n = new AtomicInteger();
        CallAdmission slotsOf = new FixedSlots(1, CLAIM);
        try (var worker = new FunctionWorker(port, (t, name) -> Optional.of(f), results -> results.forEach(r -> {
            result.set(r);
            settled.countDown();
        }), 1, CLAIM, Backoff.defaults(), "bench", () -> slotsOf)) {
            TimeUnit.MILLISECONDS.sleep(300); // the worker is up and waiting for its first claim
            long began = System.nanoTime();
            port.dispatch(List.of(call(tenant, f.name(), n.incrementAndGet())));
            if (!settled.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException(f.name() + ": the first call of " + tenant + " never settled");
            }
            long nanos = System.nanoTime() - began;
            if (result.get().failed()) {
                throw new IllegalStateException(f.name() + " failed: " + result.get().error());
            }
            return nanos / 1e6;
        }
    }
}
