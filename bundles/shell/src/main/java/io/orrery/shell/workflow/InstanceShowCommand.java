package io.orrery.shell.workflow;

import io.orrery.api.engine.Firing;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.PendingCall;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.shell.TerminalText;
import io.orrery.shell.tenant.TenantNameCompleter;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code orrery:instance-show <tenant> <workflow> <key>}: one instance from the inside, as REST shows it. */
@Command(scope = "orrery", name = "instance-show",
        description = "Shows an instance: status, input, state, output, pending calls and recent firings")
@Service
public class InstanceShowCommand extends WorkflowCommandSupport {

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
        InstanceView view = find(engine, new InstanceId(tenant, workflow, key));
        out.println("Instance " + TerminalText.escape(view.id()));
        line(out, "Status", view.status() + (view.completed() ? " (completed)" : ""));
        line(out, "Version", view.version());
        if (view.failure() != null) {
            line(out, "Failure", TerminalText.escape(view.failure()));
        }
        line(out, "Trace", TerminalText.escape(view.traceId()));
        line(out, "Created", view.createdAt());
        line(out, "Updated", view.updatedAt());
        line(out, "Input", JsonText.of(view.input()));
        line(out, "State", JsonText.of(view.state()));
        line(out, "Output", JsonText.of(view.output()));
        out.println("Pending calls: " + view.pending().size());
        if (!view.pending().isEmpty()) {
            pending(view, out);
        }
        out.println("Recent firings: " + view.recentFirings().size());
        if (!view.recentFirings().isEmpty()) {
            firings(view, out);
        }
    }

    private static void pending(InstanceView view, PrintStream out) {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Call", "Rule", "Kind", "Target", "Key", "Priority", "Made at"}) {
            table.column(column);
        }
        for (PendingCall call : view.pending()) {
            table.addRow().addContent(text(call.callId()), text(call.rule()), text(call.request().kind()),
                    text(call.request().target()), text(call.request().key()), call.request().priority(),
                    call.madeAt());
        }
        table.print(out);
    }

    private static void firings(InstanceView view, PrintStream out) {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"At", "Rule", "Section", "Version", "Calls", "Call key"}) {
            table.column(column);
        }
        for (Firing firing : view.recentFirings()) {
            table.addRow().addContent(firing.at(), text(firing.rule()), text(firing.kind()), firing.version(),
                    firing.calls(), text(firing.callKey()));
        }
        table.print(out);
    }

    private static void line(PrintStream out, String label, Object value) {
        out.printf("  %-8s %s%n", label, value == null ? "" : value);
    }

    /** Tenant text, escaped for the terminal. */
    private static String text(Object s) {
        return TerminalText.escape(s);
    }
}
