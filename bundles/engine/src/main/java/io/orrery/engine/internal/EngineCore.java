package io.orrery.engine.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.DeployReport;
import io.orrery.api.engine.DryRunReport;
import io.orrery.api.engine.EngineStoppedException;
import io.orrery.api.engine.Firing;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.JsonData;
import io.orrery.api.engine.OutboundCall;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's plain-JVM core, the {@link WorkflowEngine} of one node: routes every event for an instance through
 * its evaluation lane to {@link InstanceEvents} (load, evaluate, compare-and-set, then the effects), redeploys
 * workflows over stored instances ({@link Redeployment}), starts and reconciles child workflows
 * ({@link ChildWorkflows}) and answers long-polls ({@link SettledWaiters}). No OSGi here; the DS component and the
 * test kit construct it directly.
 */
public final class EngineCore implements WorkflowEngine, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EngineCore.class);

    private final EngineSettings settings;
    private final InstanceTable table;
    private final WorkflowRegistry registry = new WorkflowRegistry();
    private final TenantCodeGuard guard = new TenantCodeGuard();
    private final EngineMetrics metrics;
    private final InstanceEvaluator evaluator;
    private final EvaluationLanes lanes;
    private final CombiningDispatch outbound;
    private final InstanceEvents events;
    private final ChildWorkflows children;
    private final SettledWaiters waiters;
    private final Redeployment redeployment;
    private final ReevaluationProgress progress;
    private final ResultParking parking;
    private final LaterAttempts later = new LaterAttempts();
    private final Clock clock;
    private final ReevaluationClaims claims;

    public EngineCore(EngineSettings settings, InstanceTable table, CallDispatch dispatch, MeterRegistry meters,
                      Clock clock) {
        this(settings, table, dispatch, meters, clock, "local");
    }

    /** @param node this node's name (its Hazelcast member's), the scope of its crash points */
    public EngineCore(EngineSettings settings, InstanceTable table, CallDispatch dispatch, MeterRegistry meters,
                      Clock clock, String node) {
        this(settings, table, dispatch, meters, clock, node, ReevaluationClaims.EVERY_NODE);
    }

    /**
     * @param node   this node's name (its Hazelcast member's), the scope of its crash points
     * @param claims which node re-evaluates the stored instances of a deployed version; the core takes over the
     *               claims it is offered through {@link ReevaluationClaims#onAbandoned}
     */
    public EngineCore(EngineSettings settings, InstanceTable table, CallDispatch dispatch, MeterRegistry meters,
                      Clock clock, String node, ReevaluationClaims claims) {
        this.settings = settings;
        this.claims = claims;
        this.table = table;
        this.clock = clock;
        this.metrics = new EngineMetrics(meters);
        this.evaluator = new InstanceEvaluator(settings, guard, metrics, clock);
        this.lanes = new EvaluationLanes(settings.lanes());
        this.outbound = new CombiningDispatch(dispatch, later);
        this.events = new InstanceEvents(node, table, registry, metrics,
                new RecentRecords(settings.lanes() > 0 ? RecentRecords.PER_LANE : 0), outbound, clock);
        this.children = new ChildWorkflows(table, registry, lanes, evaluator, events, this::deliverAndWait,
                later);
        this.waiters = new SettledWaiters(table, this::view);
        this.events.wire(children, waiters, id -> lanes.execute(id, () -> events.process(id, false,
                (r, w, created) -> evaluator.onReevaluate(r, w))));
        this.parking = new ResultParking(table, registry, lanes, events, evaluator, clock);
        this.progress = new ReevaluationProgress(metrics.registry());
        this.redeployment = new Redeployment(table, evaluator, events, lanes, settings.lanes(), node, registry,
                claims, progress, clock);
        claims.onAbandoned(redeployment::takeOver);
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

    /** The re-evaluations of stored instances running on this node (deploys), with how far each has come. */
    public List<ReevaluationProgress.Running> reevaluations() {
        return progress.running();
    }

    /** Rules fired (actions) on this node since start. */
    public long firings() {
        return events.firings();
    }

    /** complete() calls applied on this node since start. */
    public long completions() {
        return events.completions();
    }

    /** Matches evaluated on this node since start. */
    public long matchesEvaluated() {
        return events.matches();
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
            long n = redeployment.reevaluateOnce(deployed, fired);
            children.deployed(tenant, w.name());
            LOG.info("deployed {}/{} version {}: {} instances re-evaluated, fired {}", tenant, w.name(),
                    w.version(), n, fired);
            reports.add(new DeployReport(tenant, w.name(), w.version(), current.map(DeployedWorkflow::version)
                    .orElse(0), n, fired));
        }
        return reports;
    }

    @Override
    public List<DryRunReport> dryRun(String tenant, WorkflowModule module) {
        return module.workflows().stream().map(w -> redeployment.dryRun(tenant, w,
                registry.workflow(tenant, w.name()).map(DeployedWorkflow::version).orElse(0))).toList();
    }

    @Override
    public void undeploy(String tenant, List<String> workflows) {
        workflows.forEach(w -> {
            registry.remove(tenant, w);
            claims.forget(tenant, w);
            // On the nodes other than the one deleting a tenant, this is how its end arrives: the catalog
            // undeploys its bundles everywhere.
            metrics.forget(tenant, w);
        });
    }

    /**
     * Forgets the tenant on this node (its workflows and functions; its bundles are undeployed cluster-wide by the
     * catalog) and removes its instances from the cluster and the store.
     */
    @Override
    public long deleteTenant(String tenant) {
        registry.workflows(tenant).forEach(w -> registry.remove(tenant, w.name()));
        registry.functionNames(tenant).forEach(f -> registry.removeFunction(tenant, f));
        long removed = table.deleteTenant(tenant);
        metrics.forget(tenant);
        LOG.info("tenant {} deleted: {} instances removed", tenant, removed);
        return removed;
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
        return join(lanes.submit(id, () -> EvaluationCause.under(request.trace(), () -> view(events.process(id, true,
                (rec, w, created) -> {
                    if (created) {
                        rec.priority = request.priority();
                        rec.traceId = trace.traceId();
                    }
                    return evaluator.onInput(rec, w, request.input(), null, created);
                }).record))));
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
    public List<InstanceView> listAfter(String tenant, String workflow, InstanceStatus status, String after,
                                        int limit) {
        return table.page(tenant, workflow, status, after, Math.max(0, limit)).stream().map(this::view).toList();
    }

    @Override
    public InstanceView retry(InstanceId id) {
        return join(lanes.submit(id, () -> {
            Evaluation ev = events.process(id, false, (rec, wf, created) -> evaluator.onRetry(rec, wf));
            if (ev == null) {
                throw new IllegalArgumentException("instance: no instance " + id);
            }
            return view(ev.record);
        }));
    }

    @Override
    public CompletableFuture<InstanceView> awaitSettled(InstanceId id, Duration timeout) {
        return waiters.await(id, timeout);
    }

    /** A settled call coming back (from the results queue, a timer, a child workflow). Applied once. */
    public void deliver(CallResult result) {
        deliverAndWait(result);
    }

    /**
     * Like {@link #deliver}; completes once the result was applied and saved (or found to be a duplicate, or kept
     * for a workflow not deployed here), and completes exceptionally when it could not be: the caller must then
     * offer it again (the results queue redelivers it) instead of acknowledging it.
     */
    public CompletableFuture<Void> deliverAndWait(CallResult result) {
        return deliverAndWait(result, null);
    }

    /** Like {@link #deliverAndWait(CallResult)}, the firings it causes nested under {@code cause} (null: none). */
    public CompletableFuture<Void> deliverAndWait(CallResult result, TraceContext cause) {
        return deliverAndWait(result, cause, null);
    }

    /**
     * Like {@link #deliverAndWait(CallResult, TraceContext)}, the calls the result's reaction and the rules it fires
     * make held in {@code outbox} (null: sent at once) until the caller {@link #send sends} them.
     */
    public CompletableFuture<Void> deliverAndWait(CallResult result, TraceContext cause, CallOutbox outbox) {
        var done = new CompletableFuture<Void>();
        lanes.execute(result.instance(), EvaluationLanes.abandonable(() -> {
            try {
                try {
                    EvaluationCause.under(cause, () -> events.process(result.instance(), false,
                            (rec, wf, created) -> evaluator.onResult(rec, wf, result), outbox));
                } catch (UnknownWorkflowException e) {
                    parking.park(result);
                }
                done.complete(null);
            } catch (RuntimeException e) {
                LOG.error("{}: result of call {} could not be applied; it will be offered again", result.instance(),
                        result.callId(), e);
                done.completeExceptionally(e);
            } catch (Error e) {
                done.completeExceptionally(e);
                throw e;
            }
        }, () -> done.completeExceptionally(new EngineStoppedException(result.instance()
                + ": the engine stopped before result " + result.callId() + " was applied; it will be offered again"))));
        return done;
    }

    /** Sends the calls held in the outbox, together. */
    public void send(CallOutbox outbox) {
        List<OutboundCall> calls = outbox.drain();
        if (!calls.isEmpty()) {
            outbound.send(calls);
        }
    }

    /**
     * Sends the pending calls of these records again (after a restore or a member's loss): a call saved just before
     * a crash may never have left. Harmless for calls that did: the queue refuses a message id it holds, the engine
     * applies a call's result once, and a child workflow holds its parent as a waiter once.
     */
    public void redispatch(List<InstanceRecord> records) {
        List<OutboundCall> out = new ArrayList<>();
        long now = clock.millis();
        for (InstanceRecord rec : records) {
            rec.pending.forEach((callId, p) -> {
                long delay = p.kind() == CallKind.TIMER ? Math.max(0, p.madeAt() + p.delayMs() - now) : 0;
                OutboundCall c = new OutboundCall(rec.id(), callId, p.rule(), p.kind(), p.target(), p.args(),
                        p.key(), p.priority(), p.timeoutMs(), p.retries() + 1, p.exclusive(), delay, rec.traceId);
                if (c.kind() == CallKind.WORKFLOW) {
                    children.reconcile(c);
                } else {
                    out.add(c);
                }
            });
        }
        if (!out.isEmpty()) {
            outbound.send(out);
        }
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
        events.stop();
        lanes.close();
        redeployment.close();
        later.close();
        guard.close();
    }
}
