package io.orrery.shell.tenant;

import io.orrery.api.tenant.Tenant;
import io.orrery.api.tenant.TenantDirectory;
import io.orrery.api.tenant.TenantQuota;
import io.orrery.shell.TerminalText;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code orrery:tenant-list}: every tenant with its token count and quotas. */
@Command(scope = "orrery", name = "tenant-list", description = "Lists the tenants, their tokens and quotas")
@Service
public class TenantListCommand extends TenantCommandSupport {

    @Override
    protected void execute(TenantDirectory directory, PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("Tenant");
        table.column("Created");
        table.column("Tokens").alignRight();
        table.column("Max bundle").alignRight();
        table.column("Max instances").alignRight();
        table.column("Requests/s").alignRight();
        table.column("Burst").alignRight();
        for (Tenant tenant : directory.list()) {
            TenantQuota quota = directory.quota(tenant.name());
            table.addRow().addContent(TerminalText.escape(tenant.name()), tenant.createdAt(), tenant.tokens(),
                    bytes(quota.maxBundleBytes()),
                    quota.maxInstances(), rate(quota.requestsPerSecond()), quota.burst());
        }
        table.print(out);
    }

    static String bytes(long bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " B";
    }

    private static String rate(double perSecond) {
        return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond);
    }
}
