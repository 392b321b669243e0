package io.orrery.shell.workflow;

import io.orrery.api.engine.WorkflowEngine;
import io.orrery.api.engine.WorkflowSummary;
import io.orrery.api.tenant.Tenant;
import io.orrery.api.tenant.TenantDirectory;
import io.orrery.shell.TerminalText;
import io.orrery.shell.tenant.TenantNameCompleter;
import java.io.PrintStream;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code orrery:workflow-list [tenant]}: deployed workflows with their versions and rules; every tenant's without one. */
@Command(scope = "orrery", name = "workflow-list", description = "Lists the deployed workflows, of one tenant or of all")
@Service
public class WorkflowListCommand extends WorkflowCommandSupport {

    @Argument(index = 0, name = "tenant", required = false, description = "The tenant; all tenants when omitted")
    @Completion(TenantNameCompleter.class)
    String tenant;

    @Reference(optional = true)
    TenantDirectory directory;

    @Override
    protected void execute(WorkflowEngine engine, PrintStream out) {
        List<String> tenants;
        if (tenant != null) {
            tenants = List.of(tenant);
        } else if (directory != null) {
            tenants = directory.list().stream().map(Tenant::name).toList();
        } else {
            throw new IllegalStateException("Name a tenant: the tenant directory is not available to list them all");
        }
        ShellTable table = new ShellTable();
        table.column("Tenant");
        table.column("Workflow");
        table.column("Version").alignRight();
        table.column("Rules");
        for (String name : tenants) {
            for (WorkflowSummary workflow : engine.workflows(name)) {
                table.addRow().addContent(TerminalText.escape(name), TerminalText.escape(workflow.name()),
                        workflow.version(), TerminalText.escape(String.join(", ", workflow.rules())));
            }
        }
        table.print(out);
    }

    public void setDirectory(TenantDirectory directory) {
        this.directory = directory;
    }
}
