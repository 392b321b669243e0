package io.orrery.shell.workflow;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.shell.TerminalText;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/** Base of the workflow and instance commands: the engine, injected by Karaf or set by a test. */
public abstract class WorkflowCommandSupport implements Action {

    @Reference
    private WorkflowEngine engine;

    @Override
    public Object execute() throws Exception {
        if (engine == null) {
            throw new IllegalStateException("The workflow engine is not available (is orrery-engine started?)");
        }
        execute(engine, System.out);
        return null;
    }

    protected abstract void execute(WorkflowEngine engine, PrintStream out) throws Exception;

    public void setEngine(WorkflowEngine engine) {
        this.engine = engine;
    }

    static InstanceView find(WorkflowEngine engine, InstanceId id) {
        return engine.find(id)
                .orElseThrow(() -> new IllegalArgumentException("No instance " + TerminalText.escape(id)));
    }
}
