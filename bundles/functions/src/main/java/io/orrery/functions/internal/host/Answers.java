package io.orrery.functions.internal.host;

import io.orrery.api.function.ErrorClass;
import io.orrery.api.function.FunctionFailure;
import io.orrery.functions.protocol.HostMessage;
import java.util.Map;

/** Turns a host's answer to a call into the function's result or the matching exception. */
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
}
