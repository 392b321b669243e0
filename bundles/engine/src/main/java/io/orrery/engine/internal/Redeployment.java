package io.orrery.engine.internal;

import io.orrery.api.engine.DryRunReport;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.WorkflowDefinition;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Always on: a new version of a workflow meets every stored instance (new and changed rules fire on old instances),
 * and a dry run reports what that would fire without saving anything.
 */
final class Redeployment {

    private final InstanceTable table;
    private final InstanceEvaluator evaluator;
    private final InstanceEvents events;
    private final EvaluationLanes lanes;
    private final int threads;

    Redeployment(InstanceTable table, InstanceEvaluator evaluator, InstanceEvents events, EvaluationLanes lanes,
                 int threads) {
        this.table = table;
        this.evaluator = evaluator;
        this.events = events;
        this.lanes = lanes;
        this.threads = threads;
    }

    /**
     * Evaluates every stored instance of the workflow under its new version; answers the instances seen and puts the
     * instances fired per rule into {@code fired}. The table hands out batches of stored bytes; decoding and
     * evaluating them runs on as many threads as there are lanes.
     */
    long reevaluate(DeployedWorkflow wf, Map<String, Long> fired) {
        var counts = new ConcurrentHashMap<String, AtomicLong>();
        AtomicLong instances = new AtomicLong();
        var pending = new CopyOnWriteArrayList<CompletableFuture<Void>>();
        ExecutorService pool = threads == 0 ? null : Executors.newFixedThreadPool(threads);
        Executor executor = pool == null ? Runnable::run : pool;
        try {
            table.scanEncoded(wf.tenant(), wf.name(), 256, batch -> pending.add(CompletableFuture.runAsync(() -> {
                for (byte[] stored : batch) {
                    instances.incrementAndGet();
                    Evaluation ev = reevaluateOne(table.decode(stored), wf);
                    if (ev != null) {
                        ev.fired.keySet().forEach(r -> counts.computeIfAbsent(r, k -> new AtomicLong()).incrementAndGet());
                    }
                }
            }, executor)));
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        } finally {
            if (pool != null) {
                pool.shutdown();
            }
        }
        counts.forEach((rule, n) -> fired.put(rule, n.get()));
        return instances.get();
    }

    private Evaluation reevaluateOne(InstanceRecord rec, DeployedWorkflow wf) {
        long rev = rec.revision;
        InstanceStatus before = rec.status;
        Evaluation ev = evaluator.onReevaluate(rec, wf);
        events.countMatches(ev.matchesEvaluated);
        if (!ev.changed || events.saveReevaluated(ev, rev, before)) {
            return ev;
        }
        // Someone updated it meanwhile: redo it in its lane on the fresh record.
        lanes.execute(rec.id(), () -> events.process(rec.id(), false, (r, w, created) -> evaluator.onReevaluate(r, w)));
        return null;
    }

    /** What deploying the workflow would fire, per rule, and how many instances it would fail. */
    DryRunReport dryRun(String tenant, WorkflowDefinition w, int fromVersion) {
        var wf = DeployedWorkflow.of(tenant, w);
        Map<String, Long> wouldFire = new TreeMap<>();
        w.rules().forEach(r -> wouldFire.put(r.name(), 0L));
        long[] totals = new long[2];
        table.scan(tenant, w.name(), 500, batch -> {
            for (InstanceRecord rec : batch) {
                totals[0]++;
                InstanceStatus before = rec.status;
                Evaluation ev = evaluator.onReevaluate(rec, wf);
                ev.fired.keySet().forEach(r -> wouldFire.merge(r, 1L, Long::sum));
                if (rec.status == InstanceStatus.FAILED && before != InstanceStatus.FAILED) {
                    totals[1]++;
                }
            }
        });
        return new DryRunReport(tenant, w.name(), fromVersion, w.version(), totals[0], wouldFire, totals[1]);
    }
}
