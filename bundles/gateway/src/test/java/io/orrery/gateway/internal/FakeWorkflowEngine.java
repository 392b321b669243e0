package io.orrery.gateway.internal;

import io.orrery.api.engine.DeployReport;
import io.orrery.api.engine.DryRunReport;
import io.orrery.api.engine.InputField;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.UnknownWorkflowException;
import io.orrery.api.engine.WorkflowDefinition;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.engine.WorkflowSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine as the gateway sees it, in memory: workflows validate input with the real
 * {@link WorkflowDefinition#mergeInput}; new instances are ACTIVE until the test completes or fails them, which
 * is what long-polls wait for.
 */
public final class FakeWorkflowEngine implements WorkflowEngine {

    /** What the gateway handed over. */
    public record Submission(InstanceRequest request) { }

    private static final class Instance {
        final InstanceId id;
        final int version;
        final String traceId;
        final Instant createdAt = Instant.now();
        volatile InstanceStatus status = InstanceStatus.ACTIVE;
        volatile Map<String, Object> input = Map.of();
        volatile Map<String, Object> output;
        volatile String failure;

        Instance(InstanceId id, int version, String traceId) {
            this.id = id;
            this.version = version;
            this.traceId = traceId;
        }

        InstanceView view() {
            return new InstanceView(id, version, status, input, Map.of("seen", input.size()), output, failure, List.of(),
                    List.of(), traceId, createdAt, Instant.now());
        }
    }

    private final Map<String, Map<String, WorkflowDefinition>> workflows = new ConcurrentHashMap<>();
    private final Map<InstanceId, Instance> instances = new ConcurrentHashMap<>();
    private final Map<InstanceId, List<CompletableFuture<InstanceView>>> waiters = new ConcurrentHashMap<>();
    public final List<Submission> submissions = new CopyOnWriteArrayList<>();
    private final Set<String> recursing = ConcurrentHashMap.newKeySet();
    private final Map<InstanceId, AtomicInteger> finds = new ConcurrentHashMap<>();
    private volatile CountDownLatch submitGate = new CountDownLatch(0);

    /** A workflow version with these input fields and no rules. */
    public FakeWorkflowEngine deploy(String tenant, String name, int version, InputField... inputs) {
        workflows.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>())
                .put(name, new WorkflowDefinition(name, version, List.of(inputs), List.of()));
        return this;
    }

    @Override
    public List<DeployReport> deploy(String tenant, WorkflowModule module) {
        List<DeployReport> reports = new ArrayList<>();
        for (WorkflowDefinition w : module.workflows()) {
            WorkflowDefinition previous = workflows.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>()).put(w.name(), w);
            reports.add(new DeployReport(tenant, w.name(), w.version(), previous == null ? 0 : previous.version(), 0, Map.of()));
        }
        return reports;
    }

    @Override
    public List<DryRunReport> dryRun(String tenant, WorkflowModule module) {
        return module.workflows().stream()
                .map(w -> new DryRunReport(tenant, w.name(), 0, w.version(), 0, Map.of(), 0)).toList();
    }

    @Override
    public void undeploy(String tenant, List<String> names) {
        names.forEach(n -> workflows.getOrDefault(tenant, Map.of()).remove(n));
    }

    @Override
    public long deleteTenant(String tenant) {
        workflows.remove(tenant);
        long before = instances.size();
        instances.keySet().removeIf(id -> id.tenant().equals(tenant));
        return before - instances.size();
    }

    /** Listing the tenant's workflows recurses without end, as a cyclic definition would: a StackOverflowError. */
    public FakeWorkflowEngine recurseEndlessly(String tenant) {
        recursing.add(tenant);
        return this;
    }

    /** Submissions wait for {@code gate} before they create or change an instance: for races on one key. */
    public FakeWorkflowEngine holdSubmissions(CountDownLatch gate) {
        submitGate = gate;
        return this;
    }

    /** How many times {@link #find} was asked for this instance. */
    public int finds(InstanceId id) {
        AtomicInteger n = finds.get(id);
        return n == null ? 0 : n.get();
    }

    @Override
    public List<WorkflowSummary> workflows(String tenant) {
        if (recursing.contains(tenant)) {
            return workflows(tenant);
        }
        return workflows.getOrDefault(tenant, Map.of()).values().stream()
                .map(w -> new WorkflowSummary(tenant, w.name(), w.version(), List.of("start", "finish")))
                .sorted(Comparator.comparing(WorkflowSummary::name)).toList();
    }

    @Override
    public InstanceView submit(InstanceRequest request) {
        WorkflowDefinition definition = workflows.getOrDefault(request.tenant(), Map.of()).get(request.workflow());
        if (definition == null) {
            throw new UnknownWorkflowException(request.tenant(), request.workflow());
        }
        submissions.add(new Submission(request));
        awaitGate();
        String key = request.key() == null ? UUID.randomUUID().toString() : request.key();
        InstanceId id = new InstanceId(request.tenant(), request.workflow(), key);
        Instance instance = instances.computeIfAbsent(id, i -> new Instance(i, definition.version(),
                request.trace() == null ? null : request.trace().traceId()));
        synchronized (instance) {
            instance.input = definition.mergeInput(instance.input, request.input());
        }
        return instance.view();
    }

    private void awaitGate() {
        try {
            if (!submitGate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("submission held for 30 s: the test never released it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Optional<InstanceView> find(InstanceId id) {
        finds.computeIfAbsent(id, i -> new AtomicInteger()).incrementAndGet();
        return Optional.ofNullable(instances.get(id)).map(Instance::view);
    }

    @Override
    public List<InstanceView> list(String tenant, String workflow, InstanceStatus status, int offset, int limit) {
        return instances.values().stream()
                .filter(i -> i.id.tenant().equals(tenant) && i.id.workflow().equals(workflow))
                .filter(i -> status == null || i.status == status)
                .sorted(Comparator.comparing(i -> i.id.key()))
                .skip(offset).limit(limit).map(Instance::view).toList();
    }

    @Override
    public InstanceView retry(InstanceId id) {
        Instance instance = instances.get(id);
        if (instance == null) {
            throw new IllegalArgumentException("instance: no instance " + id);
        }
        instance.failure = null;
        instance.status = InstanceStatus.ACTIVE;
        return instance.view();
    }

    @Override
    public CompletableFuture<InstanceView> awaitSettled(InstanceId id, Duration timeout) {
        CompletableFuture<InstanceView> future = new CompletableFuture<>();
        waiters.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(future);
        Instance now = instances.get(id);
        if (now != null && (now.status == InstanceStatus.FAILED || (now.output != null && now.status != InstanceStatus.ACTIVE))) {
            future.complete(now.view());
        }
        return future.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS).thenApply(v -> {
            waiters.getOrDefault(id, List.of()).remove(future);
            return v != null ? v : find(id).orElse(null);
        });
    }

    /** Publishes an output and goes IDLE, as {@code complete(output:)} does; wakes the waiters. */
    public void complete(InstanceId id, Map<String, Object> output) {
        Instance instance = instances.get(id);
        instance.output = output;
        instance.status = InstanceStatus.IDLE;
        wake(instance);
    }

    public void fail(InstanceId id, String reason) {
        Instance instance = instances.get(id);
        instance.failure = reason;
        instance.status = InstanceStatus.FAILED;
        wake(instance);
    }

    /** How many long-polls are waiting now. */
    public int waiting() {
        return waiters.values().stream().mapToInt(List::size).sum();
    }

    public int instanceCount() {
        return instances.size();
    }

    private void wake(Instance instance) {
        InstanceView view = instance.view();
        waiters.getOrDefault(instance.id, List.of()).forEach(f -> f.complete(view));
    }
}
