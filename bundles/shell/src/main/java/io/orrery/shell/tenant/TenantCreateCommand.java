package io.orrery.shell.tenant;

import io.orrery.api.tenant.IssuedToken;
import io.orrery.api.tenant.TenantDirectory;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code orrery:tenant-create <name>}: the new tenant's first API token is the last line of the output. */
@Command(scope = "orrery", name = "tenant-create",
        description = "Creates a tenant and prints its first API token as the last line (shown once, stored hashed)")
@Service
public class TenantCreateCommand extends TenantCommandSupport {

    @Argument(index = 0, name = "name", required = true,
            description = "The tenant's name: lowercase letters, digits and '-', starting with a letter")
    String name;

    @Override
    protected void execute(TenantDirectory directory, PrintStream out) {
        IssuedToken token = directory.create(name);
        out.println("Tenant " + name + " created (token id " + token.tokenId() + ").");
        out.println("Its API token follows; it is shown only now (Orrery keeps a hash), so store it:");
        out.println(token.token());
    }
}
