package io.orrery.api.engine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The engine as other subsystems see it (the REST gateway, the shell, the tenant bundle extender).
 */
public interface WorkflowEngine {

    /**
     * Deploys the module's workflows and functions under the tenant, replacing older versions, and re-evaluates
     * the existing instances of each workflow with the new rules (always on).
     */
    List<DeployReport> deploy(String tenant, WorkflowModule module);

    /** What {@link #deploy} would fire on existing instances, without deploying. */
    List<DryRunReport> dryRun(String tenant, WorkflowModule module);

    /** Stops serving these workflows; their instances stay stored for a later deploy. */
    void undeploy(String tenant, List<String> workflows);

    List<WorkflowSummary> workflows(String tenant);

    /**
     * Creates the instance or adds the request's facts to the existing one, and evaluates it.
     * Throws {@link InvalidInputException} naming the bad field and {@link UnknownWorkflowException}.
     */
    InstanceView submit(InstanceRequest request);

    Optional<InstanceView> find(InstanceId id);

    /** Instances of a workflow, optionally of one status, ordered by key, from {@code offset}. */
    List<InstanceView> list(String tenant, String workflow, InstanceStatus status, int offset, int limit);

    /**
     * A page of a workflow's instances, optionally of one status, ordered by key: the first {@code limit} whose key
     * comes after {@code after} (null: from the first). Paging by cursor: the last key of a page asks for the next,
     * at the same cost wherever it is. This default lists from the start; an engine with an index answers from it.
     */
    default List<InstanceView> listAfter(String tenant, String workflow, InstanceStatus status, String after,
                                         int limit) {
        return list(tenant, workflow, status, 0, Integer.MAX_VALUE).stream()
                .filter(v -> after == null || v.id().key().compareTo(after) > 0).limit(Math.max(0, limit)).toList();
    }

    /** Resumes a FAILED instance: clears the failure and the loop guard's counts and re-evaluates it. */
    InstanceView retry(InstanceId id);

    /**
     * Completes with the instance once it has an output and is not ACTIVE, or is FAILED; or with its current view
     * after {@code timeout}. For REST long-polls.
     */
    CompletableFuture<InstanceView> awaitSettled(InstanceId id, Duration timeout);

    /**
     * Removes the tenant's instances from the cluster and the store and forgets its workflows on this node: the
     * tenant is being deleted, and a tenant created later under the same name must inherit nothing. Answers how
     * many instances were removed.
     */
    default long deleteTenant(String tenant) {
        throw new UnsupportedOperationException("this engine cannot delete a tenant");
    }

    /**
     * How many instances the tenant holds across the cluster, counting up to {@code atMost} (a count may stop
     * there). For quotas. The default lists them; an engine over a grid counts where the records are.
     */
    default long countInstances(String tenant, long atMost) {
        long total = 0;
        for (WorkflowSummary workflow : workflows(tenant)) {
            int room = (int) Math.min(Integer.MAX_VALUE, atMost - total);
            if (room <= 0) {
                break;
            }
            total += list(tenant, workflow.name(), null, 0, room).size();
        }
        return total;
    }
}
