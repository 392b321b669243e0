package io.orrery.queue.internal;

/**
 * The reason a nack or a rejection gives, as its message keeps it (in the grid, the store, the shell and the logs):
 * at most {@link #MAX_LENGTH} characters, the store's column, and control characters made spaces. Consumers pass
 * text tenant code wrote, a function's error message among them: PostgreSQL stores no NUL, so such a reason kept as
 * it is would keep its message out of the store, and a line break would forge log lines.
 */
final class FailureReason {

    static final int MAX_LENGTH = 1000;

    private FailureReason() {
    }

    static String of(String reason) {
        if (reason == null) {
            return null;
        }
        int end = Math.min(reason.length(), MAX_LENGTH);
        if (end < reason.length() && Character.isHighSurrogate(reason.charAt(end - 1))) {
            end--; // not half a character
        }
        StringBuilder kept = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            char c = reason.charAt(i);
            kept.append(Character.isISOControl(c) ? ' ' : c);
        }
        return kept.toString();
    }
}
