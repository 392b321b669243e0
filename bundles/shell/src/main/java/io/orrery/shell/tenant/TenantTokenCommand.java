package io.orrery.shell.tenant;

import io.orrery.api.tenant.IssuedToken;
import io.orrery.api.tenant.TenantDirectory;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code orrery:tenant-token <name>}: another API token for the tenant (or the administrator), as the last line. */
@Command(scope = "orrery", name = "tenant-token",
        description = "Issues another API token for a tenant, or for the administrator with --admin; printed as the last line")
@Service
public class TenantTokenCommand extends TenantCommandSupport {

    @Argument(index = 0, name = "name", required = false, description = "The tenant (omit with --admin)")
    @Completion(TenantNameCompleter.class)
    String name;

    @Option(name = "-r", aliases = "--revoke-others", description = "Revoke the tenant's earlier tokens")
    boolean revokeOthers;

    @Option(name = "-a", aliases = "--admin", description = "Issue an administrator token, which sees every tenant")
    boolean admin;

    @Override
    protected void execute(TenantDirectory directory, PrintStream out) {
        if (admin == (name != null)) {
            throw new IllegalArgumentException("Name a tenant, or give --admin");
        }
        IssuedToken token = admin ? directory.issueAdminToken() : directory.issueToken(name, revokeOthers);
        out.println((admin ? "Administrator token" : "Token for tenant " + name) + " issued (token id "
                + token.tokenId() + ")" + (revokeOthers && !admin ? "; the earlier tokens are revoked." : "."));
        out.println("It is shown only now (Orrery keeps a hash), so store it:");
        out.println(token.token());
    }
}
