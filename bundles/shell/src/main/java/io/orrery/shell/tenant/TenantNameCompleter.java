package io.orrery.shell.tenant;

import io.orrery.api.tenant.Tenant;
import io.orrery.api.tenant.TenantDirectory;
import io.orrery.shell.TerminalText;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes tenant names. */
@Service
public class TenantNameCompleter implements Completer {

    @Reference
    TenantDirectory directory;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        if (directory != null) {
            directory.list().stream().map(Tenant::name).filter(TerminalText::isSafe).forEach(names.getStrings()::add);
        }
        return names.complete(session, commandLine, candidates);
    }
}
