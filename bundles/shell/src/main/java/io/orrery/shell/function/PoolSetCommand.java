package io.orrery.shell.function;

import io.orrery.api.function.PoolView;
import io.orrery.api.function.ResourcePools;
import io.orrery.shell.TerminalText;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code orrery:pool-set}: changes a pool's reserved and maximum slots on this node at once, until
 * {@code etc/io.orrery.pools.cfg} changes; calls holding slots keep them.
 */
@Command(scope = "orrery", name = "pool-set",
        description = "Sets a resource pool's reserved and maximum slots on this node (until io.orrery.pools.cfg changes)")
@Service
public class PoolSetCommand extends FunctionCommandSupport {

    @Reference
    ResourcePools pools;

    @Argument(index = 0, name = "pool", description = "The pool", required = true)
    @Completion(PoolNameCompleter.class)
    String pool;

    @Argument(index = 1, name = "reserved", description = "Slots kept for the pool's calls", required = true)
    int reserved;

    @Argument(index = 2, name = "max", description = "The most slots the pool's calls hold at once", required = true)
    int max;

    @Override
    protected void run() {
        PoolView p = pools.resize(pool, reserved, max);
        out.printf("Pool %s: reserved %d, max %d (%d in use, %d waiting)%n", TerminalText.escape(p.name()),
                p.reserved(), p.max(), p.inUse(), p.waiting());
    }
}
