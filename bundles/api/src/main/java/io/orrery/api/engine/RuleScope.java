package io.orrery.api.engine;

import java.util.Map;

/** What an action, reaction or error handler may do besides changing {@code state}. */
public interface RuleScope extends FactView {

    /** Makes a call; it goes out once the section finishes. Returns the request as recorded. */
    CallRequest call(CallRequest request);

    /** Publishes the output and notifies whoever waits (a parent's reaction, a long-poll); stays always-on. */
    void complete(Map<String, Object> output);

    /** Fails the instance with this message once the section finishes; calls made after it are dropped. */
    void fail(String message);
}
