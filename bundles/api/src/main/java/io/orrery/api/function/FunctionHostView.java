package io.orrery.api.function;

import java.time.Instant;
import java.util.List;

/**
 * One function host process of a tenant, as the node sees it.
 *
 * @param tenant        the tenant whose functions it runs
 * @param instance      its number among the tenant's hosts (its scratch directory)
 * @param pid           the process the node started: bubblewrap's when sandboxed (the host's JVM runs below it)
 * @param state         where it is in its life
 * @param startedAt     when the node started it
 * @param callsInFlight calls (or batches) sent to it and not answered yet
 * @param sandboxed     whether it runs inside bubblewrap
 * @param warm          the functions warmed up on it, by name
 */
public record FunctionHostView(String tenant, int instance, long pid, State state, Instant startedAt,
                               int callsInFlight, boolean sandboxed, List<String> warm) {

    public FunctionHostView {
        warm = List.copyOf(warm);
    }

    /** Where a host is in its life. */
    public enum State {
        /** Launched, not yet ready: loading the tenant's bundles. */
        STARTING,
        /** Ready for calls; none of its functions warmed up yet. */
        READY,
        /** Ready, with at least one function warmed up. */
        WARM,
        /** The process has ended; the node takes it out at its next look. */
        ENDED
    }
}
