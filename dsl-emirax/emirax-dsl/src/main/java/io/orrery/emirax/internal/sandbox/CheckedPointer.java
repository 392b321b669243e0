package io.orrery.emirax.internal.sandbox;

import groovy.lang.Closure;

/**
 * What {@code receiver.&name} (or {@code receiver::name}) gives rule code: a closure whose every call goes through
 * the checker, so a name computed at run time ({@code "…".&"$n"}) is checked when it is called, like any call.
 */
public final class CheckedPointer extends Closure<Object> {

    private static final long serialVersionUID = 1L;

    private final Object receiver;
    private final String name;

    public CheckedPointer(Object receiver, String name) {
        super(receiver);
        this.receiver = receiver;
        this.name = name;
        this.maximumNumberOfParameters = 8;
    }

    public Object doCall(Object... args) {
        return Dispatch.call(receiver, name, args);
    }

    @Override
    public Object call(Object... args) {
        return doCall(args);
    }

    @Override
    public Object call() {
        return doCall();
    }

    @Override
    public Object call(Object arg) {
        return doCall(arg);
    }
}
