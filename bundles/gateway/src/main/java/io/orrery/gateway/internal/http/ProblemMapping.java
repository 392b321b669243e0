package io.orrery.gateway.internal.http;

import io.orrery.api.engine.EngineStoppedException;
import io.orrery.api.engine.InvalidInputException;
import io.orrery.api.engine.UnknownWorkflowException;
import io.orrery.api.tenant.BundleRejectedException;
import io.orrery.api.tenant.UnknownTenantException;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.StreamCacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever a request ended with into an {@link ApiProblem}. What the caller got wrong becomes a 4xx naming
 * the field; anything else is the server's fault: a 500 with an error id to quote, logged with its stack trace
 * here and never sent to the caller.
 *
 * <p>An I/O failure is not taken for the caller's: writing an answer as JSON and reaching the store fail with
 * {@code IOException}s too. A body that could not be read is answered where it is read ({@link RequestBody},
 * {@link JsonBody}), which alone knows that the failure was the request's; or, on a route of Camel's own that
 * caches bodies (the OpenAPI document's), where Camel read it into its stream cache.
 */
public final class ProblemMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapping.class);
    /** The engine's messages start with the part at fault: {@code priority: must be 0..9, got 12}. */
    private static final Pattern LEADING_FIELD = Pattern.compile("^([A-Za-z][A-Za-z0-9_.-]{0,60}): .*", Pattern.DOTALL);

    private ProblemMapping() {
    }

    public static ApiProblem of(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof ApiProblem problem) {
            return problem;
        }
        if (t instanceof InvalidInputException invalid) {
            return ApiProblem.badRequest("input." + invalid.field(), invalid.getMessage());
        }
        if (t instanceof UnknownWorkflowException || t instanceof UnknownTenantException) {
            return ApiProblem.notFound(leadingField(t.getMessage()), t.getMessage());
        }
        if (t instanceof EngineStoppedException) {
            return ApiProblem.unavailable("the engine of this node is stopping or starting; send the request again");
        }
        if (t instanceof BundleRejectedException rejected) {
            return ApiProblem.unprocessable(rejected.field() == null ? "bundle" : rejected.field(), rejected.getMessage());
        }
        if (t instanceof StreamCacheException && causedByIo(t)) {
            // The gateway's routes cache nothing and answer bytes: what Camel failed to cache was a request body.
            return ApiProblem.badRequest("body", "the request could not be read: the connection ended early or broke");
        }
        if (t instanceof IllegalArgumentException) {
            return ApiProblem.badRequest(leadingField(t.getMessage()), t.getMessage());
        }
        String errorId = UUID.randomUUID().toString();
        LOG.error("Request failed, error id {}", errorId, t);
        return new ApiProblem(500, "internal", "Internal server error", null,
                "the server failed to answer; quote error id " + errorId);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static boolean causedByIo(Throwable failure) {
        for (Throwable t = failure.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static String leadingField(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = LEADING_FIELD.matcher(message);
        return m.matches() ? m.group(1) : null;
    }
}
