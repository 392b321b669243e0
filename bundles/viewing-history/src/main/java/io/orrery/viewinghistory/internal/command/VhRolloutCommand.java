package io.orrery.viewinghistory.internal.command;

import io.orrery.viewinghistory.internal.node.ViewingHistory;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code orrery:vh-rollout <pct>}: the share of users whose events go through Kafka, for the whole cluster. */
@Command(scope = "orrery", name = "vh-rollout", description = "Sets the percentage of users (by userId hash) whose "
        + "playback events go through Kafka; the others are processed on the request path")
@Service
public class VhRolloutCommand implements Action {

    @Reference
    ViewingHistory history;

    @Argument(index = 0, name = "percent", description = "0 to 100; without it, shows the current percentage")
    Integer percent;

    PrintStream out = System.out;

    @Override
    public Object execute() {
        if (percent != null) {
            history.rollout(percent);
        }
        out.printf("Rollout: %d%% of users through Kafka%n", history.rollout().percent());
        return null;
    }
}
