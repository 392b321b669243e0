package io.orrery.shell.workflow;

import io.orrery.api.engine.WorkflowEngine;
import io.orrery.shell.TerminalText;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes instance keys of the tenant and workflow typed before it (the first hundred, by key). */
@Service
public class InstanceKeyCompleter implements Completer {

    static final int MAX_CANDIDATES = 100;

    @Reference
    WorkflowEngine engine;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter keys = new StringsCompleter();
        List<String> typed = CommandLineArguments.positional(commandLine);
        if (engine != null && typed.size() >= 2) {
            // A key the terminal cannot show as it is cannot be offered: left out.
            engine.listAfter(typed.get(0), typed.get(1), null, null, MAX_CANDIDATES).stream().map(view -> view.id().key())
                    .filter(TerminalText::isSafe).forEach(keys.getStrings()::add);
        }
        return keys.complete(session, commandLine, candidates);
    }
}
