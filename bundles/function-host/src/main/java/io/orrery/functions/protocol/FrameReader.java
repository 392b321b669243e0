package io.orrery.functions.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads the lines of a protocol stream as bytes, as many as one read returns: a writer that sends several messages
 * in one write costs the reader one read. A line longer than the limit is skipped to its end and reported, so a
 * peer that writes without line breaks cannot make the reader buffer without bound. Not thread-safe: one reader at
 * a time (threads may take turns).
 */
public final class FrameReader {

    /** One line, valid until the next call of {@link #next}. */
    public record Line(byte[] bytes, int offset, int length, boolean truncated) {
    }

    private final InputStream in;
    private final int max;
    private byte[] buf = new byte[64 * 1024];
    private int start;
    private int end;
    /** Where the search for the next line break resumes (bytes before it, from {@link #start}, hold none). */
    private int scanned;
    private boolean skipping;

    public FrameReader(InputStream in, int max) {
        this.in = in;
        this.max = max;
    }

    /** Whether a whole line is buffered already, so {@link #next} will not block. */
    public boolean hasLine() {
        return lineEnd() >= 0;
    }

    /** The next line without its terminator; null at the end of the stream. Reads only when no line is buffered. */
    public Line next() throws IOException {
        while (true) {
            int nl = lineEnd();
            if (nl >= 0) {
                Line line = new Line(buf, start, nl - start, skipping);
                skipping = false;
                start = nl + 1;
                scanned = start;
                return line;
            }
            if (!fill()) {
                if (end > start) { // a last line without a terminator
                    Line line = new Line(buf, start, end - start, skipping);
                    start = end;
                    scanned = end;
                    return line;
                }
                return null;
            }
        }
    }

    private int lineEnd() {
        for (int i = scanned; i < end; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        scanned = end;
        return -1;
    }

    // One read: compacts first; a line past the limit keeps only its first max bytes and drops the rest.
    private boolean fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            scanned -= start;
            start = 0;
        }
        if (end - start >= max) {
            skipping = true;
            end = start + max;
            scanned = end;
        }
        if (end == buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, (long) max + 64 * 1024));
        }
        int n = skipping && end - start >= max ? readDiscarding() : in.read(buf, end, buf.length - end);
        if (n < 0) {
            return false;
        }
        end += n;
        return true;
    }

    // Reads past a line that is too long, into the space after its kept part; only a line break is kept.
    private int readDiscarding() throws IOException {
        int n = in.read(buf, end, buf.length - end);
        if (n <= 0) {
            return n;
        }
        for (int i = end; i < end + n; i++) {
            if (buf[i] == '\n') {
                System.arraycopy(buf, i, buf, end, end + n - i);
                return end + n - i;
            }
        }
        return 0;
    }
}
