package io.orrery.shell.workflow;

import io.orrery.api.engine.CallRequest;
import io.orrery.api.engine.DeployReport;
import io.orrery.api.engine.DryRunReport;
import io.orrery.api.engine.Firing;
import io.orrery.api.engine.FiringKind;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.PendingCall;
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
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** What the shell reads of the engine, held in memory: workflows and instance views set up by the test. */
final class InMemoryEngine implements WorkflowEngine {

    private final Map<String, List<WorkflowSummary>> workflows = new TreeMap<>();
    private final Map<InstanceId, InstanceView> instances = new TreeMap<>(Comparator.comparing(InstanceId::toString));
    final List<InstanceId> retried = new ArrayList<>();
    /** Refuse {@link #list}, which reads every instance of a workflow, as an engine holding many should be spared. */
    boolean scansRefused;

    InMemoryEngine workflow(String tenant, String name, int version, String... rules) {
        workflows.computeIfAbsent(tenant, t -> new ArrayList<>()).add(new WorkflowSummary(tenant, name, version, List.of(rules)));
        return this;
    }

    InMemoryEngine instance(String tenant, String workflow, String key, InstanceStatus status, String failure) {
        InstanceId id = new InstanceId(tenant, workflow, key);
        Instant at = Instant.parse("2026-01-01T12:00:00Z");
        instances.put(id, new InstanceView(id, 2, status, Map.of("source", "s3://" + key), Map.of("chunks", List.of(1, 2)),
                status == InstanceStatus.IDLE ? Map.of("uri", "s3://out/" + key) : null, failure,
                List.of(new PendingCall("c-1", "encode", CallRequest.function("media.encode", Map.of()).withKey("chunk-1"), at)),
                List.of(new Firing("split", FiringKind.ACTION, 2, at, 1, null)), "4bf92f3577b34da6a3ce929d0e0e4736", at, at));
        return this;
    }

    @Override public List<DeployReport> deploy(String tenant, WorkflowModule module) { return List.of(); }
    @Override public List<DryRunReport> dryRun(String tenant, WorkflowModule module) { return List.of(); }
    @Override public void undeploy(String tenant, List<String> names) { }
    @Override public List<WorkflowSummary> workflows(String tenant) { return workflows.getOrDefault(tenant, List.of()); }
    @Override public InstanceView submit(InstanceRequest request) { throw new UnsupportedOperationException(); }
    @Override public Optional<InstanceView> find(InstanceId id) { return Optional.ofNullable(instances.get(id)); }

    @Override
    public List<InstanceView> list(String tenant, String workflow, InstanceStatus status, int offset, int limit) {
        if (scansRefused) {
            throw new IllegalStateException("list reads every instance of the workflow");
        }
        return instances.values().stream()
                .filter(v -> v.id().tenant().equals(tenant) && v.id().workflow().equals(workflow))
                .filter(v -> status == null || v.status() == status).skip(offset).limit(limit).toList();
    }

    @Override
    public List<InstanceView> listAfter(String tenant, String workflow, InstanceStatus status, String after,
                                        int limit) {
        return instances.values().stream()
                .filter(v -> v.id().tenant().equals(tenant) && v.id().workflow().equals(workflow))
                .filter(v -> status == null || v.status() == status)
                .filter(v -> after == null || v.id().key().compareTo(after) > 0).limit(limit).toList();
    }

    @Override
    public InstanceView retry(InstanceId id) {
        retried.add(id);
        InstanceView v = instances.get(id);
        InstanceView resumed = new InstanceView(id, v.version(), InstanceStatus.ACTIVE, v.input(), v.state(), v.output(),
                null, v.pending(), v.recentFirings(), v.traceId(), v.createdAt(), v.updatedAt());
        instances.put(id, resumed);
        return resumed;
    }

    @Override
    public CompletableFuture<InstanceView> awaitSettled(InstanceId id, Duration timeout) {
        return CompletableFuture.completedFuture(instances.get(id));
    }
}
