package io.orrery.shell.function;

import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;

/** What the function and pool commands share: where they print (set directly in tests). */
public abstract class FunctionCommandSupport implements Action {

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        run();
        return null;
    }

    protected abstract void run() throws Exception;
}
