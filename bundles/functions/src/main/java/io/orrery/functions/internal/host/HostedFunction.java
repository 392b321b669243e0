package io.orrery.functions.internal.host;

import io.orrery.api.function.OrreryFunction;
import java.util.Map;

/** A tenant's function as the node's engine sees it: each call goes to the tenant's function host. */
public final class HostedFunction implements OrreryFunction {

    private final String name;
    private final TenantHost host;

    public HostedFunction(String name, TenantHost host) {
        this.name = name;
        this.host = host;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> args) throws Exception {
        return host.call(name, args);
    }

    @Override
    public String toString() {
        return name + " in the function host of tenant " + host.tenant();
    }
}
