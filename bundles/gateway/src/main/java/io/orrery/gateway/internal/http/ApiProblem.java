package io.orrery.gateway.internal.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request that gets a 4xx (or, for the server's own state, a 503) answer: status, a short title, a detail for the
 * caller and, when one part of the request is at fault, that part's name ({@code input.source}, {@code priority},
 * {@code Idempotency-Key}, {@code wait}). Control flow, not a failure: no stack trace is taken.
 */
public final class ApiProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String kind;
    private final String title;
    private final String field;
    private final Map<String, String> headers = new LinkedHashMap<>();

    ApiProblem(int status, String kind, String title, String field, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.kind = kind;
        this.title = title;
        this.field = field;
    }

    public static ApiProblem badRequest(String field, String detail) {
        return new ApiProblem(400, "invalid-request", "Invalid request", field, detail);
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "unauthorized", "Unauthorized", "Authorization", detail);
    }

    /** Also what a tenant gets for another tenant's resources: their existence is not revealed. */
    public static ApiProblem notFound(String field, String detail) {
        return new ApiProblem(404, "not-found", "Not found", field, detail);
    }

    public static ApiProblem conflict(String field, String detail) {
        return new ApiProblem(409, "conflict", "Conflict", field, detail);
    }

    public static ApiProblem tooLarge(String field, long limit) {
        return new ApiProblem(413, "too-large", "Content too large", field,
                "the body is larger than the limit of " + limit + " bytes");
    }

    public static ApiProblem unsupportedMediaType(String expected, String given) {
        return new ApiProblem(415, "unsupported-media-type", "Unsupported media type", "Content-Type",
                "expected " + expected + ", got " + given);
    }

    public static ApiProblem unprocessable(String field, String detail) {
        return new ApiProblem(422, "unprocessable", "Unprocessable content", field, detail);
    }

    public static ApiProblem tooManyRequests(long retryAfterSeconds, String detail) {
        return new ApiProblem(429, "rate-limited", "Too many requests", null, detail)
                .withHeader("Retry-After", Long.toString(retryAfterSeconds));
    }

    public static ApiProblem unavailable(String detail) {
        return new ApiProblem(503, "unavailable", "Service unavailable", null, detail)
                .withHeader("Retry-After", "5");
    }

    /** Client text fit for a problem's detail: clipped, control characters replaced. */
    public static String printable(String s) {
        String clipped = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return clipped.replaceAll("\\p{Cntrl}", "?");
    }

    public ApiProblem withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String kind() {
        return kind;
    }

    public String title() {
        return title;
    }

    public String field() {
        return field;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
