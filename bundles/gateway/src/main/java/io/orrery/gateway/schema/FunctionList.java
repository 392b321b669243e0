package io.orrery.gateway.schema;

import java.util.List;
import java.util.Map;

/** The functions a tenant may call: its own and the platform's. */
public record FunctionList(List<FunctionEntry> items) {

    /**
     * A function, with the tenant's counts on the node that answered.
     *
     * @param name        the name workflows call it by
     * @param platform    true for a platform function every tenant may call
     * @param runsIn      {@code host} (the tenant's function host) or {@code server}
     * @param pool        the resource pool the tenant's calls of it run in
     * @param invocations the tenant's attempts of it on this node
     * @param failures    failed attempts by class: {@code user} (the function threw), {@code timeout},
     *                    {@code platform} (it could not be run), {@code transient} (a passing fault)
     */
    public record FunctionEntry(String name, boolean platform, String runsIn, String pool, long invocations,
                                Map<String, Long> failures) { }
}
