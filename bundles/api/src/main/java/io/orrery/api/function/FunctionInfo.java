package io.orrery.api.function;

import java.util.Map;

/**
 * A function as operators see it.
 *
 * @param name        its name
 * @param tenant      the tenant it serves, or null for a platform function that serves every tenant
 * @param hosted      whether it runs in the tenant's function host (else in the server)
 * @param pool        the resource pool its calls run in
 * @param invocations attempts run on this node
 * @param failures    failed attempts on this node, by class (every class present)
 */
public record FunctionInfo(String name, String tenant, boolean hosted, String pool, long invocations,
                           Map<ErrorClass, Long> failures) {

    public FunctionInfo {
        failures = Map.copyOf(failures);
    }
}
