package io.orrery.shell.tenant;

import io.orrery.api.tenant.TenantDirectory;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/** Base of the tenant commands: the directory, injected by Karaf or set by a test, and the output stream. */
public abstract class TenantCommandSupport implements Action {

    @Reference
    private TenantDirectory directory;

    @Override
    public Object execute() throws Exception {
        if (directory == null) {
            throw new IllegalStateException("The tenant directory is not available (is orrery-gateway started?)");
        }
        execute(directory, System.out);
        return null;
    }

    protected abstract void execute(TenantDirectory directory, PrintStream out) throws Exception;

    public void setDirectory(TenantDirectory directory) {
        this.directory = directory;
    }
}
