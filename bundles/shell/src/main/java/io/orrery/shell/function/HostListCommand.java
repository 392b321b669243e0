package io.orrery.shell.function;

import io.orrery.api.function.FunctionHostDirectory;
import io.orrery.api.function.FunctionHostView;
import io.orrery.api.function.TenantHostsView;
import io.orrery.shell.TerminalText;
import io.orrery.shell.tenant.TenantNameCompleter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code orrery:host-list}: each tenant's function host processes on this node, first per tenant (how many run, how
 * many load asks for, how many were started, stopped, killed or died), then per host (pid, state, uptime, calls in
 * flight, sandbox, warm functions).
 */
@Command(scope = "orrery", name = "host-list",
        description = "Lists the tenants' function host processes on this node: target, pids, state, uptime, calls "
                + "in flight, sandbox")
@Service
public class HostListCommand extends FunctionCommandSupport {

    @Reference
    FunctionHostDirectory directory;

    @Option(name = "-t", aliases = "--tenant", description = "Only this tenant's hosts")
    @Completion(TenantNameCompleter.class)
    String tenant;

    Clock clock = Clock.systemUTC();

    @Override
    protected void run() {
        List<TenantHostsView> tenants = tenant == null ? directory.tenants() : directory.tenant(tenant).stream()
                .toList();
        if (tenants.isEmpty()) {
            out.println(tenant == null ? "no function hosts"
                    : "no function hosts for tenant " + TerminalText.escape(tenant));
            return;
        }
        tenantTable(tenants).print(out);
        out.println();
        hostTable(tenants, clock.instant()).print(out);
    }

    private static ShellTable tenantTable(List<TenantHostsView> tenants) {
        ShellTable table = new ShellTable();
        table.column("Tenant");
        table.column("Running").alignRight();
        table.column("Target").alignRight();
        table.column("Started").alignRight();
        table.column("Stopped").alignRight();
        table.column("Killed").alignRight();
        table.column("Died").alignRight();
        for (TenantHostsView t : tenants) {
            table.addRow().addContent(TerminalText.escape(t.tenant()), t.running(), t.target(), t.started(),
                    t.stopped(), t.killed(), t.died());
        }
        return table;
    }

    private static ShellTable hostTable(List<TenantHostsView> tenants, Instant now) {
        ShellTable table = new ShellTable().emptyTableText("no host running or starting");
        table.column("Tenant");
        table.column("Host").alignRight();
        table.column("Pid").alignRight();
        table.column("State");
        table.column("Up").alignRight();
        table.column("In flight").alignRight();
        table.column("Sandbox");
        table.column("Warm");
        for (TenantHostsView t : tenants) {
            for (FunctionHostView h : t.hosts()) {
                table.addRow().addContent(TerminalText.escape(h.tenant()), h.instance(), h.pid(),
                        h.state().name().toLowerCase(Locale.ROOT), uptime(Duration.between(h.startedAt(), now)),
                        h.callsInFlight(), h.sandboxed() ? "bubblewrap" : "off",
                        h.warm().isEmpty() ? "-" : h.warm().stream().map(TerminalText::escape)
                                .collect(Collectors.joining(", ")));
            }
        }
        return table;
    }

    /** {@code 42s}, {@code 4m05s}, {@code 2h03m}, {@code 3d04h}: the two largest units. */
    static String uptime(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3_600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3_600, s / 60 % 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, s / 3_600 % 24);
    }
}
