package io.orrery.benchmarks.functions;

import io.orrery.api.function.OrreryFunction;
import java.util.Map;

/** Does nothing and answers an empty result: what is left is the cost of calling a function at all. */
public final class NoOp implements OrreryFunction {

    static final String NAME = "bench.noop";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> args) {
        return Map.of();
    }
}
