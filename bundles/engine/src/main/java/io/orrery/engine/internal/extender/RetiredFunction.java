package io.orrery.engine.internal.extender;

import io.orrery.api.function.FunctionFailure;
import io.orrery.api.function.OrreryFunction;
import java.util.Map;

/**
 * Stands in for an Emirax function whose bundle was undeployed. The engine's API can deploy functions but not
 * remove them, so the extender deploys this in the function's place: the bundle's closure (and with it the
 * bundle's class loader) is let go, and a call that still arrives fails at once with the reason.
 */
final class RetiredFunction implements OrreryFunction {

    private final String name;
    private final String reason;

    RetiredFunction(String name, String reason) {
        this.name = name;
        this.reason = reason;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> args) {
        throw new FunctionFailure("function " + name + " is not deployed any more: " + reason);
    }
}
