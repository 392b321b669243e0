package io.orrery.functions.internal.host;

import io.orrery.api.function.BatchOutcome;
import io.orrery.api.function.ErrorClass;
import io.orrery.api.function.FunctionFailure;
import io.orrery.functions.protocol.HostMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a host's answer to a call (or to a batch of calls) into the function's result or the matching exception. */
final class Answers {

    private Answers() {
    }

    static Map<String, Object> value(String function, HostMessage answer) throws FunctionError {
        if (HostMessage.RESULT.equals(answer.type())) {
            return answer.value() == null ? Map.of() : answer.value();
        }
        if (!HostMessage.ERROR.equals(answer.type())) {
            throw new HostFailure("the function host answered a call of " + function + " with " + answer.type());
        }
        String message = answer.message() == null ? "no message" : answer.message();
        switch (answer.kind() == null ? HostMessage.PLATFORM : answer.kind()) {
            case HostMessage.FAILURE -> throw new FunctionFailure(message);
            case HostMessage.TIMEOUT -> throw new FunctionFailure(ErrorClass.TIMEOUT, message, null);
            case HostMessage.USER -> throw new FunctionError(message);
            default -> throw new HostFailure(function + ": " + message);
        }
    }

    /** A batch's answer: one outcome per call, in order; throws as {@link #value} when the batch as a whole failed. */
    static List<BatchOutcome> batch(String function, HostMessage answer, int calls) throws FunctionError {
        if (!HostMessage.BATCH_RESULT.equals(answer.type())) {
            value(function, answer); // an error for the whole batch: throws it
            throw new HostFailure("the function host answered a batch of " + function + " with " + answer.type());
        }
        List<HostMessage> results = answer.calls() == null ? List.of() : answer.calls();
        if (results.size() != calls) {
            throw new HostFailure("the function host answered " + results.size() + " calls of a batch of "
                    + calls + " of " + function);
        }
        List<BatchOutcome> outcomes = new ArrayList<>(results.size());
        for (HostMessage r : results) {
            try {
                outcomes.add(BatchOutcome.success(value(function, r)));
            } catch (FunctionError | RuntimeException e) {
                outcomes.add(BatchOutcome.failure(e));
            }
        }
        return outcomes;
    }
}
