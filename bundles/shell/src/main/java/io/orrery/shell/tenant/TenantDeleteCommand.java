package io.orrery.shell.tenant;

import io.orrery.api.tenant.TenantDirectory;
import io.orrery.api.tenant.UnknownTenantException;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code orrery:tenant-delete <name>}: the tenant goes with everything it owns (tokens, uploaded bundles, instances,
 * queued messages), so a tenant created later under the same name inherits nothing.
 */
@Command(scope = "orrery", name = "tenant-delete",
        description = "Deletes a tenant with its tokens, uploaded bundles, instances and queued messages")
@Service
public class TenantDeleteCommand extends TenantCommandSupport {

    @Argument(index = 0, name = "name", required = true, description = "The tenant to delete")
    @Completion(TenantNameCompleter.class)
    String name;

    @Override
    protected void execute(TenantDirectory directory, PrintStream out) {
        int tokens = directory.find(name).orElseThrow(() -> new UnknownTenantException(name)).tokens();
        directory.delete(name);
        out.println("Tenant " + name + " deleted; its " + tokens + " token(s) no longer work.");
        out.println("Its uploaded bundles are undeployed, its instances and queued messages removed.");
    }
}
