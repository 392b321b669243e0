package io.orrery.shell.workflow;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.shell.TerminalText;
import io.orrery.shell.tenant.TenantNameCompleter;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code orrery:instance-retry <tenant> <workflow> <key>}: resumes a FAILED instance. */
@Command(scope = "orrery", name = "instance-retry",
        description = "Resumes a FAILED instance: clears its failure and re-evaluates its rules")
@Service
public class InstanceRetryCommand extends WorkflowCommandSupport {

    @Argument(index = 0, name = "tenant", required = true, description = "The tenant")
    @Completion(TenantNameCompleter.class)
    String tenant;

    @Argument(index = 1, name = "workflow", required = true, description = "The workflow")
    @Completion(WorkflowNameCompleter.class)
    String workflow;

    @Argument(index = 2, name = "key", required = true, description = "The instance's business key")
    @Completion(InstanceKeyCompleter.class)
    String key;

    @Override
    protected void execute(WorkflowEngine engine, PrintStream out) {
        InstanceId id = new InstanceId(tenant, workflow, key);
        InstanceView view = find(engine, id);
        if (view.status() != InstanceStatus.FAILED) {
            throw new IllegalStateException("Instance " + TerminalText.escape(id) + " is " + view.status()
                    + "; only FAILED instances can be retried");
        }
        out.println("Instance " + TerminalText.escape(id) + " was FAILED: " + TerminalText.escape(view.failure()));
        out.println("Resumed; now " + engine.retry(id).status() + ".");
    }
}
