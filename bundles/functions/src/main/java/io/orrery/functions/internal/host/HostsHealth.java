package io.orrery.functions.internal.host;

import io.orrery.api.health.ComponentHealth;
import java.util.Map;

/**
 * The functions subsystem's health: UP while it can run hosts, with whether they are sandboxed and under kernel
 * limits on files ({@code kernel limits by prlimit} or {@code no kernel limits: <why>}). Hosts running
 * without bubblewrap are still separate processes with a heap cap, so that is reported, not failed.
 */
public final class HostsHealth {

    public static final String COMPONENT = "functions";

    private HostsHealth() {
    }

    public static ComponentHealth check(Sandbox sandbox, int tenantHosts) {
        return ComponentHealth.up(COMPONENT, Map.of("sandbox", sandbox.status(),
                "kernelLimits", sandbox.kernelLimits().status(), "tenantHosts", tenantHosts));
    }
}
