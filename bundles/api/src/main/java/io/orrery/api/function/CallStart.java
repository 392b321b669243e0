package io.orrery.api.function;

import java.util.Locale;

/**
 * How a function call began, for its span: {@link #WARM} in a host already warmed up for the function, {@link #COLD}
 * when the call had to start a host or warm the function up first, {@link #IN_SERVER} for a function run in the
 * server itself. A hosted function reports it on the thread that runs the call ({@link #report}); the worker that
 * invoked the function takes it on that same thread ({@link #take}). A side channel on purpose: the function SPI
 * is the tenants', and how a host was started is the platform's business.
 */
public enum CallStart {
    WARM, COLD, IN_SERVER;

    private static final ThreadLocal<CallStart> REPORTED = new ThreadLocal<>();

    /** Reports how the call running on this thread began. */
    public static void report(CallStart start) {
        REPORTED.set(start);
    }

    /** How the call that just ran on this thread began ({@link #IN_SERVER} when nothing reported it); clears it. */
    public static CallStart take() {
        CallStart reported = REPORTED.get();
        REPORTED.remove();
        return reported == null ? IN_SERVER : reported;
    }

    /** The span attribute's value: {@code warm}, {@code cold} or {@code in-server}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
