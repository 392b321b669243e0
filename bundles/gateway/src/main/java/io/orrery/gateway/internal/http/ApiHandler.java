package io.orrery.gateway.internal.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What one endpoint does once the request passed the {@link RequestGate}. Answers may complete later (a
 * long-poll) without holding a Jetty thread; problems are thrown as {@link ApiProblem}s or any exception that
 * {@link ProblemMapping} knows.
 */
@FunctionalInterface
public interface ApiHandler {

    CompletionStage<ApiResponse> handle(ApiRequest request) throws Exception;

    /** A handler that answers at once. */
    interface Immediate {
        ApiResponse handle(ApiRequest request) throws Exception;
    }

    static ApiHandler immediate(Immediate handler) {
        return request -> CompletableFuture.completedFuture(handler.handle(request));
    }
}
