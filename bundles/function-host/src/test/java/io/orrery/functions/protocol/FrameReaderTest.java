package io.orrery.functions.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

    /** Hands out its chunks one read at a time, as a pipe does, counting the reads. */
    private static final class Chunks extends InputStream {
        private final List<byte[]> chunks = new ArrayList<>();
        private int reads;

        Chunks(String... parts) {
            for (String p : parts) {
                chunks.add(p.getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("read by the byte");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            reads++;
            if (chunks.isEmpty()) {
                return -1;
            }
            byte[] c = chunks.remove(0);
            int n = Math.min(len, c.length);
            System.arraycopy(c, 0, b, off, n);
            if (n < c.length) {
                chunks.add(0, java.util.Arrays.copyOfRange(c, n, c.length));
            }
            return n;
        }
    }

    private static List<String> all(FrameReader r) throws IOException {
        List<String> out = new ArrayList<>();
        FrameReader.Line l;
        while ((l = r.next()) != null) {
            out.add((l.truncated() ? "CUT:" : "") + new String(l.bytes(), l.offset(), l.length(),
                    StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void everyLineOfOneReadIsTakenWithoutReadingAgain() throws IOException {
        Chunks in = new Chunks("a\nbb\nccc\n");
        FrameReader r = new FrameReader(in, 1024);

        assertThat(new String(r.next().bytes(), 0, 1, StandardCharsets.UTF_8)).isEqualTo("a");
        assertThat(r.hasLine()).isTrue();
        r.next();
        r.next();

        assertThat(in.reads).isEqualTo(1);
        assertThat(r.hasLine()).isFalse();
    }

    @Test
    void aLineSplitOverReadsIsJoinedAndALastLineWithoutTerminatorIsKept() throws IOException {
        FrameReader r = new FrameReader(new Chunks("{\"ty", "pe\":1}\n{\"x\"", ":2}\nend"), 1024);

        assertThat(all(r)).containsExactly("{\"type\":1}", "{\"x\":2}", "end");
    }

    @Test
    void aLineLongerThanTheLimitIsCutAndTheLinesAfterItSurvive() throws IOException {
        String longLine = "x".repeat(5000);
        FrameReader r = new FrameReader(new Chunks("first\n" + longLine.substring(0, 3000),
                longLine.substring(3000) + "\nnext\n"), 100);

        List<String> lines = all(r);

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("first");
        assertThat(lines.get(1)).isEqualTo("CUT:" + "x".repeat(100));
        assertThat(lines.get(2)).isEqualTo("next");
    }

    @Test
    void aStreamThatNeverBreaksItsLineIsReadInBoundedMemory() throws IOException {
        // 64 MB without a line break against a 1 KB limit: the reader keeps only the limit.
        InputStream endless = new InputStream() {
            private long left = 64L * 1024 * 1024;

            @Override
            public int read() {
                return left-- > 0 ? 'y' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'y');
                left -= n;
                return n;
            }
        };
        FrameReader r = new FrameReader(endless, 1024);

        FrameReader.Line l = r.next();

        assertThat(l.truncated()).isTrue();
        assertThat(l.length()).isEqualTo(1024);
        assertThat(l.bytes().length).isLessThan(256 * 1024);
        assertThat(r.next()).isNull();
    }

    @Test
    void anEmptyStreamHasNoLine() throws IOException {
        assertThat(new FrameReader(new ByteArrayInputStream(new byte[0]), 10).next()).isNull();
    }
}
