package io.orrery.api.function;

import java.util.concurrent.TimeoutException;

/**
 * Why a call's attempt failed, as counted per function and pool. The class is for operators (which failures are
 * the tenant's, which the platform's); whether the call is tried again depends only on the exception: a
 * {@link FunctionFailure} is final, every other failure spends one of the call's attempts.
 */
public enum ErrorClass {

    /** The function's own code threw: a bug, bad input, a refused request. */
    USER,
    /** The attempt ran past its timeout and was interrupted (a hosted function's process tree is killed). */
    TIMEOUT,
    /** The platform could not run the function: no such function, its host died or could not start. */
    PLATFORM,
    /** Something outside the function that may well work next time: a busy service, a lost connection. */
    TRANSIENT;

    /** The class a failure carries, or the class its type implies. */
    public static ErrorClass of(Throwable failure) {
        if (failure instanceof FunctionFailure f) {
            return f.errorClass();
        }
        if (failure instanceof TransientFailure t) {
            return t.errorClass();
        }
        if (failure instanceof TimeoutException) {
            return TIMEOUT;
        }
        return USER;
    }

    /** The lower-case name used in metric tags, the shell and the REST API. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
