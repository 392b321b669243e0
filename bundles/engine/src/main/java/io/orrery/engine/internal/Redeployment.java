package io.orrery.engine.internal;

import io.orrery.api.engine.DryRunReport;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.WorkflowDefinition;
import io.orrery.api.fault.CrashPoints;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Always on: a new version of a workflow meets every stored instance (new and changed rules fire on old instances),
 * and a dry run reports what that would fire without saving anything. The instances are the cluster's, so of the
 * nodes that install a version one re-evaluates them ({@link ReevaluationClaims}); another takes over if it leaves
 * before it finishes.
 */
final class Redeployment {

    private static final Logger LOG = LoggerFactory.getLogger(Redeployment.class);

    private final InstanceTable table;
    private final InstanceEvaluator evaluator;
    private final InstanceEvents events;
    private final EvaluationLanes lanes;
    private final String node;
    private final WorkflowRegistry registry;
    private final ReevaluationClaims claims;
    private final ReevaluationProgress progress;
    private final Clock clock;
    /**
     * The node's re-evaluation threads, shared by every deploy (at most as many as lanes, idle ones end): a burst
     * of deploys queues batches here instead of starting a pool of its own each.
     */
    private final ThreadPoolExecutor pool;

    Redeployment(InstanceTable table, InstanceEvaluator evaluator, InstanceEvents events, EvaluationLanes lanes,
                 int threads, String node, WorkflowRegistry registry, ReevaluationClaims claims,
                 ReevaluationProgress progress, Clock clock) {
        this.table = table;
        this.evaluator = evaluator;
        this.events = events;
        this.lanes = lanes;
        this.node = node;
        this.registry = registry;
        this.claims = claims;
        this.progress = progress;
        this.clock = clock;
        this.pool = threads == 0 ? null : new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new ThreadFactory() {
                    private final AtomicInteger n = new AtomicInteger();

                    @Override
                    public Thread newThread(Runnable r) {
                        Thread t = new Thread(r, "orrery-engine-reevaluation-" + n.getAndIncrement());
                        t.setDaemon(true);
                        return t;
                    }
                });
        if (pool != null) {
            pool.allowCoreThreadTimeOut(true);
        }
    }

    /** Lets the re-evaluation threads end once the batches handed to them are done; takes no new batches. */
    void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    /**
     * Re-evaluates the stored instances unless another node has done so, or is doing it, for this deployment; the
     * number of instances re-evaluated here. A node that leaves it to another still re-evaluates the instances whose
     * events it left for this version ({@link DeferredInstances}), since it alone knows of them.
     */
    long reevaluateOnce(DeployedWorkflow wf, Map<String, Long> fired) {
        ReevaluationClaim claim = ReevaluationClaim.of(wf);
        if (!claims.take(claim)) {
            int deferred = reevaluateDeferred(wf);
            LOG.info("deployed {}/{} version {}: stored instances re-evaluated by another node ({} whose events "
                    + "were left here for this version re-evaluated here)", wf.tenant(), wf.name(), wf.version(),
                    deferred);
            return 0;
        }
        return reevaluateClaimed(claim, wf, fired);
    }

    /** A claim whose node left before it finished: re-evaluated here if this node runs that deployment. */
    void takeOver(ReevaluationClaim claim) {
        Optional<DeployedWorkflow> wf = registry.workflow(claim.tenant(), claim.workflow());
        if (wf.isEmpty() || !ReevaluationClaim.of(wf.get()).equals(claim) || !claims.take(claim)) {
            return;
        }
        Map<String, Long> fired = new TreeMap<>();
        long n = reevaluateClaimed(claim, wf.get(), fired);
        LOG.info("re-evaluation of {}/{} version {} taken over from a node that left: {} instances re-evaluated, "
                + "fired {}", claim.tenant(), claim.workflow(), claim.version(), n, fired);
    }

    private long reevaluateClaimed(ReevaluationClaim claim, DeployedWorkflow wf, Map<String, Long> fired) {
        long n;
        try {
            n = reevaluate(wf, fired);
        } catch (RuntimeException | Error e) {
            try {
                claims.release(claim);
            } catch (RuntimeException gone) {
                LOG.debug("re-evaluation claim {} not released (its member is gone): {}", claim.key(), gone.toString());
            }
            throw e;
        }
        claims.done(claim);
        return n;
    }

    private int reevaluateDeferred(DeployedWorkflow wf) {
        var ids = events.deferred().take(wf.tenant(), wf.name());
        for (InstanceId id : ids) {
            lanes.execute(id, () -> events.process(id, false, (r, w, created) -> evaluator.onReevaluate(r, w)));
        }
        return ids.size();
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
        Executor executor = pool == null ? Runnable::run : pool;
        try (ReevaluationProgress.Tally tally = progress.start(wf, clock.instant())) {
            table.scanEncoded(wf.tenant(), wf.name(), 256, batch -> pending.add(CompletableFuture.runAsync(() -> {
                CrashPoints.reach(EngineCrashPoints.REEVALUATION_BATCH, node);
                for (byte[] stored : batch) {
                    instances.incrementAndGet();
                    tally.evaluated();
                    Evaluation ev = reevaluateOne(table.decode(stored), wf);
                    if (ev != null) {
                        ev.fired.keySet().forEach(r -> counts.computeIfAbsent(r, k -> new AtomicLong()).incrementAndGet());
                    }
                }
            }, executor)));
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
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
