package io.orrery.api.rest;

/** A successful answer: the status and a body the gateway writes as JSON. */
public record RestAnswer(int status, Object body) {

    public static RestAnswer of(int status, Object body) {
        return new RestAnswer(status, body);
    }
}
