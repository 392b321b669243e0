package io.orrery.functions.internal.host;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines of at most a given length from a host's output: a longer line is cut there and the rest of it skipped,
 * so a host that writes without line breaks cannot make the node buffer without bound.
 */
final class BoundedLineReader {

    private final Reader in;
    private final int max;
    private boolean truncated;

    BoundedLineReader(Reader in, int max) {
        this.in = in;
        this.max = max;
    }

    /** The next line without its terminator, or null at the end of the stream. */
    String readLine() throws IOException {
        truncated = false;
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                return line.toString();
            }
            if (line.length() < max) {
                line.append((char) c);
            } else {
                truncated = true;
            }
        }
        return line.isEmpty() && !truncated ? null : line.toString();
    }

    /** Whether the last line read was longer than the limit (and was cut). */
    boolean truncated() {
        return truncated;
    }
}
