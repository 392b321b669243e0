package io.orrery.api.rest;

/**
 * A call that gets a 4xx (or 503) problem document: the status, the part of the request at fault (or null) and a
 * detail for the caller. Control flow, not a failure: no stack trace is taken.
 */
public final class RestProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;

    public RestProblem(int status, String field, String detail) {
        super(detail, null, false, false);
        if (status < 400 || status > 599 || status == 500) {
            throw new IllegalArgumentException("status: a problem is a 4xx or a 5xx other than 500, got " + status);
        }
        this.status = status;
        this.field = field;
    }

    public static RestProblem notFound(String field, String detail) {
        return new RestProblem(404, field, detail);
    }

    public static RestProblem badRequest(String field, String detail) {
        return new RestProblem(400, field, detail);
    }

    public static RestProblem unavailable(String detail) {
        return new RestProblem(503, null, detail);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
