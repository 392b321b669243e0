package io.orrery.functions.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The sending side of a protocol stream: whole messages are gathered and written together, one write and one flush
 * for as many as are waiting (the way Netty consolidates flushes). While one thread writes, the messages other
 * threads add wait for the next write, which the first of them to get the stream makes for all: under load many
 * messages share a write, and the peer's reader wakes once for them.
 */
public final class Outbox {

    private final OutputStream out;
    private final Object writing = new Object();
    private ByteArrayOutputStream pending = new ByteArrayOutputStream(4096);
    private ByteArrayOutputStream spare = new ByteArrayOutputStream(4096);
    private long writes;

    public Outbox(OutputStream out) {
        this.out = out;
    }

    /** Adds a whole message (its line, terminator included) to the next write, without writing. */
    public void add(byte[] line) {
        synchronized (this) {
            pending.write(line, 0, line.length);
        }
    }

    /** Adds a message and returns once it is written, alone or with others. */
    public void send(byte[] line) throws IOException {
        add(line);
        flush();
    }

    /** Writes whatever was added and not yet written, in one write. */
    public void flush() throws IOException {
        synchronized (writing) {
            ByteArrayOutputStream full;
            synchronized (this) {
                if (pending.size() == 0) {
                    return;
                }
                full = pending;
                pending = spare;
            }
            try {
                full.writeTo(out);
                out.flush();
                writes++;
            } finally {
                full.reset();
                synchronized (this) {
                    spare = full;
                }
            }
        }
    }

    /** Bytes added and not yet taken by a write. */
    public synchronized int pendingBytes() {
        return pending.size();
    }

    /** Writes made so far (for tests: how many messages shared one). */
    public long writes() {
        synchronized (writing) {
            return writes;
        }
    }

    /** Flushes, then closes the stream. */
    public void close() throws IOException {
        synchronized (writing) {
            try {
                flush();
            } finally {
                out.close();
            }
        }
    }
}
