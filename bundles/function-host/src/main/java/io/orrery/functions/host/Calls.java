package io.orrery.functions.host;

import io.orrery.api.function.BatchOutcome;
import io.orrery.api.function.ErrorClass;
import io.orrery.api.function.FunctionFailure;
import io.orrery.api.function.OrreryFunction;
import io.orrery.functions.protocol.HostMessage;
import io.orrery.functions.protocol.Wire;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs what the node asks of the host's functions and words the answer. A function's own exception is a
 * {@code user} error ({@code failure} for {@link FunctionFailure}); what the host itself cannot do is a
 * {@code platform} error.
 */
final class Calls {

    private final Function<String, Optional<OrreryFunction>> functions;

    /** @param functions the host's function of a name */
    Calls(Function<String, Optional<OrreryFunction>> functions) {
        this.functions = functions;
    }

    /** The answer to a call, as the line to send: encoded once, so a value that is not JSON data is a user error. */
    byte[] call(String id, String name, Map<String, Object> args) {
        Optional<OrreryFunction> f = name == null ? Optional.empty() : functions.apply(name);
        if (f.isEmpty()) {
            return Wire.line(HostMessage.error(id, HostMessage.PLATFORM, "no function named " + name
                    + " in this host"));
        }
        try {
            Map<String, Object> value = f.get().apply(args == null ? Map.of() : args);
            return Wire.line(HostMessage.result(id, value == null ? Map.of() : value));
        } catch (FunctionFailure e) {
            return Wire.line(HostMessage.error(id, failureKind(e), e.getMessage()));
        } catch (Exception | StackOverflowError | LinkageError | AssertionError e) {
            return Wire.line(HostMessage.error(id, HostMessage.USER, describe(e)));
        }
    }

    // A micro-batch: one applyBatch for all its calls, each answered on its own outcome.
    HostMessage batch(HostMessage m) {
        List<HostMessage> calls = m.calls() == null ? List.of() : m.calls();
        Optional<OrreryFunction> f = m.function() == null ? Optional.empty() : functions.apply(m.function());
        if (f.isEmpty()) {
            return HostMessage.error(m.id(), HostMessage.PLATFORM, "no function named " + m.function()
                    + " in this host");
        }
        List<Map<String, Object>> args = new ArrayList<>(calls.size());
        calls.forEach(c -> args.add(c.args() == null ? Map.of() : c.args()));
        List<BatchOutcome> outcomes;
        try {
            outcomes = f.get().applyBatch(args);
        } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
            return HostMessage.error(m.id(), HostMessage.USER, describe(e));
        }
        if (outcomes == null || outcomes.size() != calls.size()) {
            return HostMessage.error(m.id(), HostMessage.USER, m.function() + " answered "
                    + (outcomes == null ? "nothing" : outcomes.size() + " outcomes") + " for a batch of "
                    + calls.size());
        }
        List<HostMessage> results = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            results.add(answer(calls.get(i).id(), outcomes.get(i)));
        }
        return HostMessage.batchResult(m.id(), results);
    }

    private static HostMessage answer(String id, BatchOutcome o) {
        if (o == null) {
            return HostMessage.error(id, HostMessage.USER, "no outcome for this call of the batch");
        }
        if (o.failed()) {
            return o.error() instanceof FunctionFailure f ? HostMessage.error(id, failureKind(f), f.getMessage())
                    : HostMessage.error(id, HostMessage.USER, describe(o.error()));
        }
        HostMessage result = HostMessage.result(id, o.value() == null ? Map.of() : o.value());
        try {
            Wire.write(result);
        } catch (RuntimeException e) {
            return HostMessage.error(id, HostMessage.USER, describe(e));
        }
        return result;
    }

    // Looking a Java function up activates its DS component (and its class loading); then its own warmUp runs.
    HostMessage warmUp(HostMessage m) {
        Optional<OrreryFunction> f = m.function() == null ? Optional.empty() : functions.apply(m.function());
        if (f.isEmpty()) {
            return HostMessage.error(m.id(), HostMessage.PLATFORM, "no function named " + m.function()
                    + " in this host");
        }
        try {
            f.get().warmUp();
            return HostMessage.warm(m.id(), f.get().name());
        } catch (Exception | StackOverflowError | LinkageError | AssertionError e) {
            return HostMessage.error(m.id(), HostMessage.USER, describe(e));
        }
    }

    private static String failureKind(FunctionFailure f) {
        return f.errorClass() == ErrorClass.TIMEOUT ? HostMessage.TIMEOUT : HostMessage.FAILURE;
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + message;
    }
}
