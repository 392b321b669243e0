package io.orrery.functions.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One message between the node and a function host: a line of JSON on the host's stdin (node to host) or stdout
 * (host to node). Which fields are set depends on {@link #type}:
 *
 * <table>
 *   <caption>messages</caption>
 *   <tr><th>type</th><th>from</th><th>fields</th></tr>
 *   <tr><td>{@value #HELLO}</td><td>host</td><td>protocol, pid: the JVM is up</td></tr>
 *   <tr><td>{@value #READY}</td><td>host</td><td>functions: the tenant's bundles are started; the names it serves;
 *   declared: per function what it declares ({@value #BATCH_SIZE}, {@value #WARM_INSTANCES}) when not the defaults</td></tr>
 *   <tr><td>{@value #FAILED}</td><td>host</td><td>message: it could not start, or crossed a limit, and exits</td></tr>
 *   <tr><td>{@value #CALL}</td><td>node</td><td>id, function, args, deadline (epoch ms)</td></tr>
 *   <tr><td>{@value #RESULT}</td><td>host</td><td>id, value</td></tr>
 *   <tr><td>{@value #ERROR}</td><td>host</td><td>id, kind ({@value #USER}, {@value #FAILURE}, {@value #TIMEOUT}, {@value #PLATFORM}),
 *   message</td></tr>
 *   <tr><td>{@value #BATCH}</td><td>node</td><td>id, function, deadline, calls (each an id and args)</td></tr>
 *   <tr><td>{@value #BATCH_RESULT}</td><td>host</td><td>id, calls (each a {@value #RESULT} or {@value #ERROR})</td></tr>
 *   <tr><td>{@value #WARM_UP}</td><td>node</td><td>id, function: initialise it now, before the first call</td></tr>
 *   <tr><td>{@value #WARM}</td><td>host</td><td>id, function (or an {@value #ERROR} with the same id)</td></tr>
 * </table>
 * Closing the host's stdin asks it to stop. Calls are answered in any order, matched by id.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record HostMessage(String type, String id, String function, Map<String, Object> args, Long deadline,
                          Map<String, Object> value, String kind, String message, List<String> functions,
                          Integer protocol, Long pid, List<HostMessage> calls,
                          Map<String, Map<String, Integer>> declared) {

    public static final int PROTOCOL = 1;

    /** A declaration: the function's {@code batchSize()}. */
    public static final String BATCH_SIZE = "batch";
    /** A declaration: the function's {@code warmInstances()}. */
    public static final String WARM_INSTANCES = "warm";

    public static final String HELLO = "hello";
    public static final String READY = "ready";
    public static final String FAILED = "failed";
    public static final String CALL = "call";
    public static final String RESULT = "result";
    public static final String ERROR = "error";
    public static final String BATCH = "batch";
    public static final String BATCH_RESULT = "batch-result";
    public static final String WARM_UP = "warm-up";
    public static final String WARM = "warm";

    /** The function threw: the call's retry policy decides. */
    public static final String USER = "user";
    /** The function threw {@code FunctionFailure}: retrying cannot fix it. */
    public static final String FAILURE = "failure";
    /** The function threw a final {@code FunctionFailure} of the timeout class (an external command overran). */
    public static final String TIMEOUT = "timeout";
    /** The host could not run the call (unknown function, a malformed message, a result that is not JSON). */
    public static final String PLATFORM = "platform";

    public static HostMessage hello(long pid) {
        return new HostMessage(HELLO, null, null, null, null, null, null, null, null, PROTOCOL, pid, null, null);
    }

    public static HostMessage ready(List<String> functions) {
        return ready(functions, null);
    }

    public static HostMessage ready(List<String> functions, Map<String, Map<String, Integer>> declared) {
        return new HostMessage(READY, null, null, null, null, null, null, null, List.copyOf(functions), null, null,
                null, declared == null || declared.isEmpty() ? null : Map.copyOf(declared));
    }

    public static HostMessage failed(String message) {
        return new HostMessage(FAILED, null, null, null, null, null, null, message, null, null, null, null, null);
    }

    public static HostMessage call(String id, String function, Map<String, Object> args, long deadline) {
        return new HostMessage(CALL, id, function, args, deadline, null, null, null, null, null, null, null, null);
    }

    public static HostMessage result(String id, Map<String, Object> value) {
        return new HostMessage(RESULT, id, null, null, null, value, null, null, null, null, null, null, null);
    }

    public static HostMessage error(String id, String kind, String message) {
        return new HostMessage(ERROR, id, null, null, null, null, kind, message, null, null, null, null, null);
    }

    public static HostMessage batch(String id, String function, List<HostMessage> calls, long deadline) {
        return new HostMessage(BATCH, id, function, null, deadline, null, null, null, null, null, null,
                List.copyOf(calls), null);
    }

    public static HostMessage batchResult(String id, List<HostMessage> results) {
        return new HostMessage(BATCH_RESULT, id, null, null, null, null, null, null, null, null, null,
                List.copyOf(results), null);
    }

    public static HostMessage warmUp(String id, String function) {
        return new HostMessage(WARM_UP, id, function, null, null, null, null, null, null, null, null, null, null);
    }

    public static HostMessage warm(String id, String function) {
        return new HostMessage(WARM, id, function, null, null, null, null, null, null, null, null, null, null);
    }
}
