package io.orrery.api.function;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Drains one output stream of a command to its end, keeping only its last {@code limit} bytes: a chatty or hostile
 * program cannot fill the function host's heap, and must never block on a full pipe either.
 */
final class BoundedOutput {

    private final byte[] ring;
    private long total;

    BoundedOutput(int limit) {
        this.ring = new byte[limit];
    }

    /** Reads {@code in} until its end; called on a thread of its own. */
    void drain(InputStream in) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                append(buffer, n);
            }
        } catch (IOException e) {
            // The stream closes under us when the process is killed: what was read is what there is.
        }
    }

    private synchronized void append(byte[] bytes, int n) {
        for (int i = 0; i < n; i++) {
            if (ring.length > 0) {
                ring[(int) (total % ring.length)] = bytes[i];
            }
            total++;
        }
    }

    /** The kept text, with a note of how many bytes were dropped before it. */
    synchronized String text() {
        int kept = (int) Math.min(total, ring.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(kept);
        long start = total - kept;
        for (long i = start; i < total; i++) {
            out.write(ring[(int) (i % ring.length)]);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        return start == 0 ? text : "[" + start + " earlier bytes dropped]\n" + text;
    }
}
