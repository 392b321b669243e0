package io.orrery.shell.function;

import io.orrery.api.function.PoolView;
import io.orrery.api.function.ResourcePools;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes a pool argument with this node's pools. */
@Service
public class PoolNameCompleter implements Completer {

    @Reference
    ResourcePools pools;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        List<String> names = pools.pools().stream().map(PoolView::name).toList();
        return new StringsCompleter(names).complete(session, commandLine, candidates);
    }
}
