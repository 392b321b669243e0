package io.orrery.shell.workflow;

import io.orrery.api.engine.WorkflowEngine;
import io.orrery.api.engine.WorkflowSummary;
import io.orrery.shell.TerminalText;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the workflow names of the tenant typed before it. */
@Service
public class WorkflowNameCompleter implements Completer {

    @Reference
    WorkflowEngine engine;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        List<String> typed = CommandLineArguments.positional(commandLine);
        if (engine != null && !typed.isEmpty()) {
            engine.workflows(typed.get(0)).stream().map(WorkflowSummary::name).filter(TerminalText::isSafe)
                    .forEach(names.getStrings()::add);
        }
        return names.complete(session, commandLine, candidates);
    }
}
