package io.orrery.emirax.testkit;

import java.util.Map;

/**
 * One function call the workflow made during a test, as the stub saw it.
 *
 * @param instanceKey the calling instance's business key
 * @param rule        the rule whose action or reaction made the call
 * @param key         the call's {@code key:} option, or null
 * @param priority    0..9
 * @param attempt     which attempt (retries after a throwing stub count up)
 */
public record FunctionCall(String workflow, String instanceKey, String rule, String function,
                           Map<String, Object> args, String key, int priority, int attempt) {
}
