package io.orrery.functions.internal.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the node runs function hosts.
 *
 * @param hostHome      the host's installation: its class path ({@code *.jar}) and {@code bundles/}
 * @param heapMegabytes each host's heap cap ({@code -Xmx}); a host that needs more ends, the node does not
 * @param hostsRoot     where each tenant's host gets its directory (its bundles and its scratch)
 * @param hidden        directories a sandboxed host sees empty: the server's {@code data/} and {@code etc/}
 * @param startTimeout  how long a host may take to report ready
 * @param callLimit     the longest any call may run, when nothing shorter interrupts it first
 * @param limits        what each host may hold at once besides its heap: threads, processes, files
 */
public record HostSettings(Path hostHome, int heapMegabytes, Path hostsRoot, List<Path> hidden,
                           Duration startTimeout, Duration callLimit, HostLimits limits) {

    public HostSettings {
        if (heapMegabytes < 16) {
            throw new IllegalArgumentException("heapMegabytes must be at least 16, was " + heapMegabytes);
        }
        hidden = List.copyOf(hidden);
    }

    /** With the default {@link HostLimits}. */
    public HostSettings(Path hostHome, int heapMegabytes, Path hostsRoot, List<Path> hidden, Duration startTimeout,
                        Duration callLimit) {
        this(hostHome, heapMegabytes, hostsRoot, hidden, startTimeout, callLimit, HostLimits.DEFAULTS);
    }
}
