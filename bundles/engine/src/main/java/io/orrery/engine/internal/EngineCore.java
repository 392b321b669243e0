package io.orrery.engine.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.DeployReport;
import io.orrery.api.engine.DryRunReport;
import io.orrery.api.engine.Firing;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.PendingCall;
import io.orrery.api.engine.UnknownWorkflowException;
import io.orrery.api.engine.WorkflowDefinition;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.engine.WorkflowSummary;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.trace.TraceContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The engine's plain-JVM core: routes every event for an instance through its evaluation lane, loads the record,
 * lets the {@link InstanceEvaluator} apply the event, saves with compare-and-set (reloading and re-applying on a
 * conflict with another member), and only then lets the calls out, starts child workflows and tells waiting
 * parents. No OSGi here; the DS component and the test kit construct it directly.
 */
public final class EngineCore implements WorkflowEngine, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EngineCore.class);
    private static final int MAX_CONFLICTS = 50;

    private final EngineSettings settings;
    private final InstanceTable table;
    private final CallDispatch dispatch;
    private final Clock clock;
    private final WorkflowRegistry registry = new WorkflowRegistry();
    private final TenantCodeGuard guard = new TenantCodeGuard();
    private final EngineMetrics metrics;
    private final InstanceEvaluator evaluator;
    private final EvaluationLanes lanes;
    private final RecentRecords recent;
    private final CombiningDispatch outbound;
    private final Map<InstanceId, List<CompletableFuture<InstanceView>>> awaiting = new ConcurrentHashMap<>();
    private final AtomicLong firings = new AtomicLong();
    private final AtomicLong matches = new AtomicLong();
    private final AtomicLong completions = new AtomicLong();

    public EngineCore(EngineSettings settings, InstanceTable table, CallDispatch dispatch, MeterRegistry meters,
                      Clock clock) {
        this.settings = settings;
        this.table = table;
        this.dispatch = dispatch;
        this.clock = clock;
        this.metrics = new EngineMetrics(meters);
        this.evaluator = new InstanceEvaluator(settings, guard, metrics, clock);
        this.lanes = new EvaluationLanes(settings.lanes());
        this.recent = new RecentRecords(settings.lanes() > 0 ? RecentRecords.PER_LANE : 0);
        this.outbound = new CombiningDispatch(dispatch);
    }

    public WorkflowRegistry registry() {
        return registry;
    }

    /** Evaluation lanes of this engine. */
    public int settingsLanes() {
        return settings.lanes();
    }

    public EngineMetrics metrics() {
        return metrics;
    }

    /** Rules fired (actions) on this node since start. */
    public long firings() {
        return firings.get();
    }

    /** complete() calls applied on this node since start. */
    public long completions() {
        return completions.get();
    }

    /** Matches evaluated on this node since start. */
    public long matchesEvaluated() {
        return matches.get();
    }

    // ---- deploy ------------------------------------------------------------------------------------------

    @Override
    public List<DeployReport> deploy(String tenant, WorkflowModule module) {
        for (OrreryFunction f : module.functions()) {
            registry.installFunction(tenant, f);
        }
        List<DeployReport> reports = new ArrayList<>();
        for (WorkflowDefinition w : module.workflows()) {
            Optional<DeployedWorkflow> current = registry.workflow(tenant, w.name());
            if (current.isPresent() && current.get().version() > w.version()) {
                throw new IllegalArgumentException("workflow " + w.name() + ": version " + w.version()
                        + " is older than the deployed version " + current.get().version());
            }
            var deployed = DeployedWorkflow.of(tenant, w);
            registry.install(deployed);
            Map<String, Long> fired = new TreeMap<>();
            long n = reevaluate(deployed, fired);
            LOG.info("deployed {}/{} version {}: {} instances re-evaluated, fired {}", tenant, w.name(),
                    w.version(), n, fired);
            reports.add(new DeployReport(tenant, w.name(), w.version(), current.map(DeployedWorkflow::version)
                    .orElse(0), n, fired));
        }
        return reports;
    }

    /**
     * Always on: every stored instance of the workflow meets the new version's rules. The table hands out batches
     * of stored bytes; decoding and evaluating them runs on as many threads as there are lanes.
     */
    private long reevaluate(DeployedWorkflow wf, Map<String, Long> fired) {
        var counts = new ConcurrentHashMap<String, AtomicLong>();
        AtomicLong instances = new AtomicLong();
        var pending = new CopyOnWriteArrayList<CompletableFuture<Void>>();
        java.util.concurrent.ExecutorService pool = settings.lanes() == 0 ? null
                : java.util.concurrent.Executors.newFixedThreadPool(settings.lanes());
        java.util.concurrent.Executor executor = pool == null ? Runnable::run : pool;
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
        matches.addAndGet(ev.matchesEvaluated);
        if (!ev.changed) {
            return ev;
        }
        if (table.replace(rec, rev)) {
            metrics.statusChanged(before, rec.status);
            afterSave(ev);
            return ev;
        }
        // Someone updated it meanwhile: redo it in its lane on the fresh record.
        lanes.execute(rec.id(), () -> process(rec.id(), false, (r, w, created) -> evaluator.onReevaluate(r, w)));
        return null;
    }

    @Override
    public List<DryRunReport> dryRun(String tenant, WorkflowModule module) {
        List<DryRunReport> reports = new ArrayList<>();
        for (WorkflowDefinition w : module.workflows()) {
            var wf = DeployedWorkflow.of(tenant, w);
            int from = registry.workflow(tenant, w.name()).map(DeployedWorkflow::version).orElse(0);
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
            reports.add(new DryRunReport(tenant, w.name(), from, w.version(), totals[0], wouldFire, totals[1]));
        }
        return reports;
    }

    @Override
    public void undeploy(String tenant, List<String> workflows) {
        workflows.forEach(w -> registry.remove(tenant, w));
    }

    @Override
    public List<WorkflowSummary> workflows(String tenant) {
        return registry.workflows(tenant).stream().map(w -> new WorkflowSummary(tenant, w.name(), w.version(),
                w.definition().rules().stream().map(r -> r.name()).toList())).toList();
    }

    // ---- instances --------------------------------------------------------------------------------------

    @Override
    public InstanceView submit(InstanceRequest request) {
        DeployedWorkflow wf = registry.workflow(request.tenant(), request.workflow())
                .orElseThrow(() -> new UnknownWorkflowException(request.tenant(), request.workflow()));
        String key = request.key() == null || request.key().isBlank() ? UUID.randomUUID().toString() : request.key();
        var id = new InstanceId(request.tenant(), wf.name(), key);
        TraceContext trace = request.trace() == null ? TraceContext.newTrace() : request.trace();
        return join(lanes.submit(id, () -> view(process(id, true, (rec, w, created) -> {
            if (created) {
                rec.priority = request.priority();
                rec.traceId = trace.traceId();
            }
            return evaluator.onInput(rec, w, request.input(), null, created);
        }).record)));
    }

    @Override
    public Optional<InstanceView> find(InstanceId id) {
        return Optional.ofNullable(table.load(id)).map(this::view);
    }

    @Override
    public List<InstanceView> list(String tenant, String workflow, InstanceStatus status, int offset, int limit) {
        List<InstanceRecord> all = new ArrayList<>();
        table.scan(tenant, workflow, 1000, batch -> batch.stream()
                .filter(r -> status == null || r.status == status).forEach(all::add));
        all.sort(Comparator.comparing(r -> r.key));
        return all.stream().skip(Math.max(0, offset)).limit(Math.max(0, limit)).map(this::view).toList();
    }

    @Override
    public InstanceView retry(InstanceId id) {
        return join(lanes.submit(id, () -> {
            Evaluation ev = process(id, false, (rec, wf, created) -> evaluator.onRetry(rec, wf));
            if (ev == null) {
                throw new IllegalArgumentException("instance: no instance " + id);
            }
            return view(ev.record);
        }));
    }

    @Override
    public CompletableFuture<InstanceView> awaitSettled(InstanceId id, Duration timeout) {
        var future = new CompletableFuture<InstanceView>();
        awaiting.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(future);
        InstanceRecord now = table.load(id);
        if (now != null && settled(now)) {
            future.complete(view(now));
        }
        return future.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS).thenApply(v -> {
            // The list is gone when afterSave already completed and removed the waiters.
            List<CompletableFuture<InstanceView>> waiting = awaiting.get(id);
            if (waiting != null) {
                waiting.remove(future);
            }
            return v != null ? v : find(id).orElse(null);
        });
    }

    /** A settled call coming back (from the results queue, a timer, a child workflow). Applied once. */
    public void deliver(CallResult result) {
        deliverAndWait(result);
    }

    /** Like {@link #deliver}; completes once the result was applied and saved (or found to be a duplicate). */
    public CompletableFuture<Void> deliverAndWait(CallResult result) {
        var done = new CompletableFuture<Void>();
        lanes.execute(result.instance(), () -> {
            try {
                process(result.instance(), false, (rec, wf, created) -> evaluator.onResult(rec, wf, result));
            } catch (UnknownWorkflowException e) {
                park(result);
            } catch (RuntimeException e) {
                LOG.error("{}: result of call {} could not be applied", result.instance(), result.callId(), e);
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    /**
     * A result for a workflow not deployed here (undeployed, or not deployed on this node yet): kept in the
     * instance's record and applied when the workflow is deployed again, never dropped.
     */
    private void park(CallResult result) {
        for (int attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
            InstanceRecord rec = table.load(result.instance());
            if (rec == null || !rec.pending.containsKey(result.callId())
                    || rec.parked.stream().anyMatch(p -> p.callId().equals(result.callId()))) {
                return;
            }
            long rev = rec.revision;
            rec.parked.add(new InstanceRecord.Parked(result.callId(), result.result(), result.error(),
                    result.attempts()));
            rec.updatedAt = clock.millis();
            if (table.replace(rec, rev)) {
                LOG.warn("{}: workflow not deployed; result of call {} kept until it is", result.instance(),
                        result.callId());
                if (registry.workflow(result.instance().tenant(), result.instance().workflow()).isPresent()) {
                    // Deployed meanwhile, and its re-evaluation may have read the record before this save.
                    lanes.execute(result.instance(), () -> process(result.instance(), false,
                            (r, w, created) -> evaluator.onReevaluate(r, w)));
                }
                return;
            }
        }
        LOG.error("{}: result of call {} could not be kept: too many concurrent updates", result.instance(),
                result.callId());
    }

    /**
     * Sends the pending calls of these records again (after a restore or a member's loss): a call saved just before
     * a crash may never have left. Harmless for calls that did: the queue refuses a message id it holds, and the
     * engine applies a call's result once.
     */
    public void redispatch(List<InstanceRecord> records) {
        List<OutboundCall> out = new ArrayList<>();
        long now = clock.millis();
        for (InstanceRecord rec : records) {
            rec.pending.forEach((callId, p) -> {
                long delay = p.kind() == CallKind.TIMER ? Math.max(0, p.madeAt() + p.delayMs() - now) : 0;
                OutboundCall c = new OutboundCall(rec.id(), callId, p.rule(), p.kind(), p.target(), p.args(),
                        p.key(), p.priority(), p.timeoutMs(), p.retries() + 1, p.exclusive(), delay, rec.traceId);
                // A child workflow holds its parent as a waiter from its first save on; starting it again here
                // would fail the parent while the child's workflow is not deployed yet (a restore at start-up).
                if (c.kind() != CallKind.WORKFLOW) {
                    out.add(c);
                }
            });
        }
        if (!out.isEmpty()) {
            dispatch.dispatch(out);
        }
    }

    // ---- the event loop ---------------------------------------------------------------------------------

    @FunctionalInterface
    interface EventStep {
        Evaluation apply(InstanceRecord record, DeployedWorkflow workflow, boolean created);
    }

    /** Load, apply, compare-and-set; on a conflict reload and apply again. Null if the instance does not exist. */
    Evaluation process(InstanceId id, boolean create, EventStep step) {
        for (int attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
            InstanceRecord rec = attempt == 0 ? recent.take(id) : null;
            boolean cached = rec != null;
            if (!cached) {
                rec = table.load(id);
            }
            boolean created = rec == null;
            if (created && !create) {
                LOG.warn("{}: event for an instance that does not exist; dropped", id);
                return null;
            }
            if (created) {
                rec = newRecord(id);
            }
            DeployedWorkflow wf = registry.workflow(id.tenant(), id.workflow()).orElse(null);
            if (wf == null) {
                throw new UnknownWorkflowException(id.tenant(), id.workflow());
            }
            MDC.put("tenant", id.tenant());
            if (rec.traceId != null) {
                MDC.put("traceId", rec.traceId);
            }
            try {
                long rev = rec.revision;
                InstanceStatus before = created ? null : rec.status;
                Evaluation ev = step.apply(rec, wf, created);
                if (cached && !ev.changed) {
                    // Nothing to save means no compare-and-set to catch a stale copy (a result "already applied"
                    // to a copy older than the call): decide again on a fresh read.
                    continue;
                }
                matches.addAndGet(ev.matchesEvaluated);
                if (ev.duplicate) {
                    metrics.duplicate();
                }
                if (ev.changed) {
                    rec.updatedAt = clock.millis();
                    if (!(created ? table.insert(rec) : table.replace(rec, rev))) {
                        continue;
                    }
                    metrics.statusChanged(before, rec.status);
                }
                recent.keep(id, rec);
                afterSave(ev);
                return ev;
            } finally {
                MDC.remove("tenant");
                MDC.remove("traceId");
            }
        }
        throw new IllegalStateException(id + ": too many concurrent updates, gave up after " + MAX_CONFLICTS);
    }

    private InstanceRecord newRecord(InstanceId id) {
        var rec = new InstanceRecord();
        rec.tenant = id.tenant();
        rec.workflow = id.workflow();
        rec.key = id.key();
        rec.createdAt = clock.millis();
        rec.traceId = TraceContext.newTrace().traceId();
        return rec;
    }

    /** Effects leave only after the record that explains them was saved. */
    private void afterSave(Evaluation ev) {
        ev.fired.values().forEach(n -> firings.addAndGet(n));
        if (ev.completedNow) {
            completions.incrementAndGet();
        }
        List<OutboundCall> out = new ArrayList<>(ev.calls.size());
        for (OutboundCall c : ev.calls) {
            if (c.kind() == CallKind.WORKFLOW) {
                startChild(c);
            } else {
                out.add(c);
            }
        }
        if (!out.isEmpty()) {
            outbound.send(out);
        }
        for (Evaluation.Notification n : ev.notifications) {
            InstanceRecord.Waiter w = n.waiter();
            deliver(n.error() == null ? CallResult.success(w.instance(), w.callId(), n.output(), 1)
                    : CallResult.failure(w.instance(), w.callId(), n.error(), 1));
        }
        if (settled(ev.record)) {
            List<CompletableFuture<InstanceView>> waiting = awaiting.remove(ev.record.id());
            if (waiting != null) {
                InstanceView v = view(ev.record);
                waiting.forEach(f -> f.complete(v));
            }
        }
    }

    private void startChild(OutboundCall c) {
        var child = new InstanceId(c.instance().tenant(), c.function(), c.key());
        var waiter = new InstanceRecord.Waiter(c.instance().tenant(), c.instance().workflow(), c.instance().key(),
                c.callId());
        lanes.execute(child, () -> {
            try {
                process(child, true, (rec, wf, created) -> {
                    if (created) {
                        rec.priority = c.priority();
                        rec.traceId = c.traceId();
                    }
                    return evaluator.onInput(rec, wf, c.args(), waiter, created);
                });
            } catch (IllegalArgumentException e) {
                deliver(CallResult.failure(c.instance(), c.callId(), e.getMessage(), 1));
            }
        });
    }

    private static boolean settled(InstanceRecord rec) {
        return rec.status == InstanceStatus.FAILED || rec.status == InstanceStatus.IDLE && rec.output != null;
    }

    InstanceView view(InstanceRecord r) {
        List<PendingCall> pending = r.pending.entrySet().stream().map(e -> new PendingCall(e.getKey(),
                e.getValue().rule(), InstanceEvaluator.request(e.getValue()),
                Instant.ofEpochMilli(e.getValue().madeAt()))).toList();
        List<Firing> firingLog = r.firings.stream().map(f -> new Firing(f.rule(), f.kind(), f.version(),
                Instant.ofEpochMilli(f.at()), f.calls(), f.callKey())).toList();
        // Copies: the record may stay in a lane's cache and change with the instance's next event.
        return new InstanceView(r.id(), r.version, r.status, JsonData.copyMap(r.input, "input"),
                JsonData.copyMap(r.state, "state"), r.output == null ? null : JsonData.copyMap(r.output, "output"),
                r.failure, pending,
                firingLog, r.traceId, Instant.ofEpochMilli(r.createdAt), Instant.ofEpochMilli(r.updatedAt));
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        lanes.close();
        guard.close();
    }
}
