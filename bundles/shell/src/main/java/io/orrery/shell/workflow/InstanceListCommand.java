package io.orrery.shell.workflow;

import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.shell.TerminalText;
import io.orrery.shell.tenant.TenantNameCompleter;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code orrery:instance-list <tenant> <workflow> [--status S] [--after KEY] [-n N]}: a page of a workflow's instances,
 * ordered by key. Pages are read by key from the engine's index, never by reading every instance of the workflow: a
 * tenant may hold a hundred thousand, and viewers may run this.
 */
@Command(scope = "orrery", name = "instance-list", description = "Lists a workflow's instances, optionally of one status")
@Service
public class InstanceListCommand extends WorkflowCommandSupport {

    @Argument(index = 0, name = "tenant", required = true, description = "The tenant")
    @Completion(TenantNameCompleter.class)
    String tenant;

    @Argument(index = 1, name = "workflow", required = true, description = "The workflow")
    @Completion(WorkflowNameCompleter.class)
    String workflow;

    @Option(name = "-s", aliases = "--status", description = "Only instances of this status: ACTIVE, IDLE or FAILED")
    @Completion(value = StringsCompleter.class, values = {"ACTIVE", "IDLE", "FAILED"})
    String status;

    static final int MAX_LIMIT = 1000;

    @Option(name = "-n", aliases = "--limit", description = "At most this many, 1 to " + MAX_LIMIT + " (default 50)")
    int limit = 50;

    @Option(name = "-a", aliases = "--after", description = "Only instances whose key comes after this one (the last "
            + "key of the previous page)")
    String after;

    @Override
    protected void execute(WorkflowEngine engine, PrintStream out) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("--limit must be 1 to " + MAX_LIMIT + ", not " + limit);
        }
        List<InstanceView> instances = engine.listAfter(tenant, workflow, status(), after, limit);
        ShellTable table = new ShellTable();
        table.column("Key");
        table.column("Status");
        table.column("Version").alignRight();
        table.column("Completed");
        table.column("Updated");
        table.column("Failure");
        for (InstanceView view : instances) {
            table.addRow().addContent(TerminalText.escape(view.id().key()), view.status(), view.version(),
                    view.completed() ? "yes" : "no", view.updatedAt(), TerminalText.escape(view.failure()));
        }
        table.print(out);
    }

    private InstanceStatus status() {
        if (status == null) {
            return null;
        }
        try {
            return InstanceStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--status must be ACTIVE, IDLE or FAILED, not " + status);
        }
    }
}
