package io.orrery.shell.function;

import io.orrery.api.function.ErrorClass;
import io.orrery.api.function.FunctionCatalog;
import io.orrery.api.function.FunctionInfo;
import io.orrery.shell.TerminalText;
import io.orrery.shell.tenant.TenantNameCompleter;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code orrery:function-list}: the functions this node knows, where they run, their pool and counts. */
@Command(scope = "orrery", name = "function-list",
        description = "Lists the functions on this node with their pool, attempts and failures by class")
@Service
public class FunctionListCommand extends FunctionCommandSupport {

    @Reference
    FunctionCatalog catalog;

    @Option(name = "-t", aliases = "--tenant", description = "Only the functions this tenant may call")
    @Completion(TenantNameCompleter.class)
    String tenant;

    @Override
    protected void run() {
        ShellTable table = new ShellTable().emptyTableText("no functions");
        table.column("Tenant");
        table.column("Function");
        table.column("Runs in");
        table.column("Pool");
        table.column("Attempts").alignRight();
        table.column("Failures");
        List<FunctionInfo> functions = tenant == null ? catalog.functions() : catalog.functions(tenant);
        for (FunctionInfo f : functions) {
            table.addRow().addContent(f.tenant() == null ? "(platform)" : TerminalText.escape(f.tenant()),
                    TerminalText.escape(f.name()), f.hosted() ? "host" : "server", TerminalText.escape(f.pool()),
                    f.invocations(), failures(f));
        }
        table.print(out);
    }

    /** {@code user:2 timeout:1}, only the classes that occurred; {@code -} for none. */
    static String failures(FunctionInfo f) {
        String text = Stream.of(ErrorClass.values()).filter(c -> f.failures().getOrDefault(c, 0L) > 0)
                .map(c -> c.tag() + ":" + f.failures().get(c)).collect(Collectors.joining(" "));
        return text.isEmpty() ? "-" : text;
    }
}
