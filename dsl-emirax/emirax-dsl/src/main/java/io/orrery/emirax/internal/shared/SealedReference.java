package io.orrery.emirax.internal.shared;

import groovy.lang.Reference;

/** A variable rule sections share, sealed: reads answer its read-only value, assignments are refused. */
final class SealedReference extends Reference<Object> {

    private static final long serialVersionUID = 1L;
    private final String variable;

    SealedReference(String variable, Object value) {
        super(value);
        this.variable = variable;
    }

    @Override
    public void set(Object value) {
        throw SharedData.unchangeable(variable);
    }
}
