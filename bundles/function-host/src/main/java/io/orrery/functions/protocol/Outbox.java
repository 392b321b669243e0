package io.orrery.functions.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sending side of a protocol stream: whole messages are gathered and written together, one write and one flush
 * for as many as are waiting (the way Netty consolidates flushes). A sender never waits for another: while one
 * thread writes, what others add goes out in that thread's next write, and the others carry on. Under load many
 * messages share a write, and the peer's reader wakes once for them.
 *
 * <p>A message is written unless the stream fails; the thread that meets the failure gets it, and every later send
 * fails at once. (The messages lost with it belonged to calls that then fail when the peer's process ends.)
 */
public final class Outbox {

    private final OutputStream out;
    private final AtomicBoolean writing = new AtomicBoolean();
    private ByteArrayOutputStream pending = new ByteArrayOutputStream(4096);
    private ByteArrayOutputStream spare = new ByteArrayOutputStream(4096);
    private volatile IOException failed;
    private final AtomicLong writes = new AtomicLong();

    public Outbox(OutputStream out) {
        this.out = out;
    }

    /** Adds a whole message (its line, terminator included) to the next write, without writing. */
    public synchronized void add(byte[] line) {
        pending.write(line, 0, line.length);
    }

    /** Adds a message and sees that it is written: now, or by the thread writing now, right after its write. */
    public void send(byte[] line) throws IOException {
        add(line);
        flush();
    }

    /** Sees that whatever was added is written, in as few writes as there are threads adding meanwhile. */
    public void flush() throws IOException {
        do {
            if (failed != null) {
                throw new IOException("the stream failed earlier: " + failed.getMessage(), failed);
            }
            if (!writing.compareAndSet(false, true)) {
                return; // the writing thread takes what was added, after its write
            }
            try {
                ByteArrayOutputStream full;
                while ((full = take()) != null) {
                    write(full);
                }
            } finally {
                writing.set(false);
            }
            // Added after the last take but while this thread still wrote: nobody else will write it.
        } while (pendingBytes() > 0);
    }

    private synchronized ByteArrayOutputStream take() {
        if (pending.size() == 0) {
            return null;
        }
        ByteArrayOutputStream full = pending;
        pending = spare;
        spare = null;
        return full;
    }

    private void write(ByteArrayOutputStream full) throws IOException {
        try {
            full.writeTo(out);
            out.flush();
            writes.incrementAndGet();
        } catch (IOException e) {
            failed = e;
            throw e;
        } finally {
            full.reset();
            synchronized (this) {
                spare = full;
            }
        }
    }

    /** Bytes added and not yet taken by a write. */
    public synchronized int pendingBytes() {
        return pending.size();
    }

    /** Writes made so far (for tests: how many messages shared one). */
    public long writes() {
        return writes.get();
    }

    /** Writes what is waiting, then closes the stream (a write under way on another thread then fails). */
    public void close() throws IOException {
        try {
            flush();
        } finally {
            out.close();
        }
    }
}
