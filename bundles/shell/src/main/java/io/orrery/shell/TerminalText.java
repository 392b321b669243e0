package io.orrery.shell;

/**
 * Text from tenants (names, keys, inputs, error messages) as the administrator's terminal may show it.
 *
 * <p>A tenant chooses much of what the shell prints. Printed raw, an ESC starts an ANSI sequence that can recolour,
 * hide or overwrite what the administrator reads, retitle the window or, on some terminals, write to the clipboard;
 * a newline or carriage return forges lines of a table; bidirectional overrides reorder what is shown. So every
 * character that is not plain printable text is shown as an escape instead: {@code \n}, {@code \r}, {@code \t}, and
 * {@code \}{@code uXXXX} for the rest (C0 and C1 controls with ESC and DEL, Unicode format characters such as the
 * bidirectional overrides and zero-width characters, line and paragraph separators, lone surrogates). Backslashes
 * stay as they are: the aim is a safe terminal, not text that reads back.
 */
public final class TerminalText {

    private TerminalText() {
    }

    /** {@code value}'s text with every unsafe character escaped; {@code ""} for null. */
    public static String escape(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isSurrogatePair(text, i)) {
                out.append(c).append(text.charAt(++i));
            } else if (isUnsafe(c)) {
                appendEscape(c, out);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether {@code text} can go to the terminal as it is (a completion candidate must, or it is left out). */
    public static boolean isSafe(String text) {
        return text != null && firstUnsafe(text) < 0;
    }

    /**
     * Whether {@code c}, standing alone, must not reach a terminal. A surrogate is unsafe here; {@link #escape}
     * keeps the valid pairs (emoji and other characters beyond the Basic Multilingual Plane).
     */
    public static boolean isUnsafe(char c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> true;
            default -> false;
        };
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isSurrogatePair(text, i)) {
                i++;
            } else if (isUnsafe(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isSurrogatePair(String text, int i) {
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1)) && isSafeCodePoint(text.codePointAt(i));
    }

    private static boolean isSafeCodePoint(int codePoint) {
        int type = Character.getType(codePoint);
        return type != Character.FORMAT && type != Character.UNASSIGNED && type != Character.PRIVATE_USE;
    }

    private static void appendEscape(char c, StringBuilder out) {
        switch (c) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> out.append(String.format("\\u%04x", (int) c));
        }
    }
}
