package io.orrery.shell.function;

import io.orrery.api.function.PoolView;
import io.orrery.api.function.ResourcePools;
import io.orrery.shell.TerminalText;
import java.util.HashMap;
import java.util.Map;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code orrery:pool-list}: the resource pools of this node as a tree, configured and in use. */
@Command(scope = "orrery", name = "pool-list",
        description = "Lists this node's resource pools: reserved and maximum slots, slots in use and lent, waiting calls")
@Service
public class PoolListCommand extends FunctionCommandSupport {

    @Reference
    ResourcePools pools;

    @Override
    protected void run() {
        ShellTable table = new ShellTable().emptyTableText("no pools");
        table.column("Pool");
        table.column("Reserved").alignRight();
        table.column("Max").alignRight();
        table.column("In use").alignRight();
        table.column("Lent").alignRight();
        table.column("Waiting").alignRight();
        Map<String, Integer> depth = new HashMap<>();
        for (PoolView p : pools.pools()) { // parents come before their children
            int d = p.parent() == null ? 0 : depth.getOrDefault(p.parent(), 0) + 1;
            depth.put(p.name(), d);
            table.addRow().addContent("  ".repeat(d) + TerminalText.escape(p.name()), p.reserved(), p.max(),
                    p.inUse(), p.lent(), p.waiting());
        }
        table.print(out);
    }
}
