package io.orrery.queue.internal;

/**
 * The reason a nack or a rejection gives, as its message keeps it (in the grid, the store, the shell and the logs):
 * control characters written as escapes (a backslash, {@code u} and four hex digits), then at most
 * {@link #MAX_LENGTH} characters, the store's column. Consumers pass text tenant code wrote, a function's error
 * message among them: PostgreSQL stores no NUL, so such a reason kept as it is would keep its message out of the
 * store, and a line break would forge log lines.
 */
final class FailureReason {

    static final int MAX_LENGTH = 1000;

    private FailureReason() {
    }

    static String of(String reason) {
        if (reason == null) {
            return null;
        }
        StringBuilder kept = new StringBuilder(Math.min(reason.length(), MAX_LENGTH) + 8);
        for (int i = 0; i < reason.length() && kept.length() < MAX_LENGTH; i++) {
            char c = reason.charAt(i);
            if (Character.isISOControl(c)) {
                kept.append(String.format("\\u%04x", (int) c));
            } else {
                kept.append(c);
            }
        }
        int end = Math.min(kept.length(), MAX_LENGTH);
        if (end < kept.length() && Character.isHighSurrogate(kept.charAt(end - 1))) {
            end--; // not half a character
        }
        return kept.substring(0, end);
    }
}
