package io.orrery.emirax.internal.sandbox;

/**
 * The text a rule's regular expression runs over. A catastrophic pattern spends its time in the regex engine,
 * where no compiler-injected checkpoint runs; this view looks at the thread's interrupt flag (set by the engine's
 * watchdog when the rule's time limit passes) every thousand characters read and stops the match.
 */
final class GuardedCharSequence implements CharSequence {

    private static final int CHECK_EVERY = 0x3FF;

    private final CharSequence text;
    private int reads;

    GuardedCharSequence(CharSequence text) {
        this.text = text;
    }

    @Override
    public char charAt(int index) {
        if ((++reads & CHECK_EVERY) == 0 && Thread.currentThread().isInterrupted()) {
            throw Stops.stopped();
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new GuardedCharSequence(text.subSequence(start, end));
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
