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

/** {@code orrery:instance-list <tenant> <workflow> [--status S]}: a workflow's instances, ordered by key. */
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

    @Option(name = "-n", aliases = "--limit", description = "At most this many (default 50)")
    int limit = 50;

    @Option(name = "-o", aliases = "--offset", description = "Skip this many first")
    int offset;

    @Override
    protected void execute(WorkflowEngine engine, PrintStream out) {
        List<InstanceView> instances = engine.list(tenant, workflow, status(), Math.max(0, offset), Math.max(1, limit));
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
