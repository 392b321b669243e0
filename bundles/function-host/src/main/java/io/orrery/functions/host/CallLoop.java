package io.orrery.functions.host;

import io.orrery.functions.protocol.FrameReader;
import io.orrery.functions.protocol.HostMessage;
import io.orrery.functions.protocol.Outbox;
import io.orrery.functions.protocol.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads the node's messages from stdin and answers them on the protocol stream. A call runs on the thread that read
 * it, and its answer leaves with the other answers of the same read in one write: a quick call costs no hand-off
 * between threads. So that a slow call cannot hold up the calls behind it, a {@link ReaderWatch} gives the reading
 * to another thread once a call has run inline past the budget; the slow call finishes where it is and answers
 * alone, and its function's next calls run on call threads of their own until one of them is quick again. Batches
 * and warm-ups always run on call threads. Ends when stdin closes.
 */
final class CallLoop {

    /** How long a call may run on the reading thread before another thread takes over reading. */
    static final Duration BUDGET = Duration.ofMillis(1);

    private final Calls calls;
    private final Outbox outbox;
    private final long budgetNanos;
    private final ExecutorService threads;
    private final ReaderWatch watch;
    /** Functions whose last call overran the budget: their calls go to call threads. */
    private final Set<String> slow = ConcurrentHashMap.newKeySet();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile IOException readFailure;
    /** The node's stream; read by one thread at a time, the one whose turn it is. */
    private FrameReader in;

    CallLoop(Calls calls, Outbox outbox, Duration budget) {
        this.calls = calls;
        this.outbox = outbox;
        this.budgetNanos = budget.toNanos();
        var n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "function-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.watch = new ReaderWatch(budget, () -> threads.execute(this::takeOver));
    }

    /** Answers the node until its stream ends, then what is still running, briefly. */
    void run(InputStream stdin) throws IOException, InterruptedException {
        in = new FrameReader(stdin, Wire.MAX_LINE);
        watch.start();
        threads.execute(this::read);
        ended.await();
        watch.stop();
        threads.shutdown();
        threads.awaitTermination(5, TimeUnit.SECONDS);
        outbox.flush();
        if (readFailure != null) {
            throw readFailure;
        }
    }

    // The reading thread lost its turn to a slow call: answer what the reader left, then read on.
    private void takeOver() {
        flush();
        read();
    }

    /** Reads and answers while this thread has the turn; returns when a slow call took it, or the stream ended. */
    private void read() {
        try {
            while (true) {
                if (!in.hasLine()) {
                    outbox.flush(); // about to wait for the node: the answers so far go first
                }
                FrameReader.Line line = in.next();
                if (line == null) {
                    break;
                }
                HostMessage m = parse(line);
                if (m != null && !dispatch(m)) {
                    return;
                }
            }
        } catch (IOException e) {
            readFailure = e;
        }
        ended.countDown();
    }

    private static HostMessage parse(FrameReader.Line line) {
        if (line.truncated()) {
            HostLog.warn("ignored a line from the node longer than " + Wire.MAX_LINE + " bytes", null);
            return null;
        }
        if (blank(line)) {
            return null;
        }
        try {
            return Wire.read(line);
        } catch (IllegalArgumentException e) {
            HostLog.warn("ignored a line from the node", e);
            return null;
        }
    }

    private static boolean blank(FrameReader.Line line) {
        for (int i = line.offset(); i < line.offset() + line.length(); i++) {
            if (!Character.isWhitespace(line.bytes()[i])) {
                return false;
            }
        }
        return true;
    }

    /** False when this thread lost the reading turn while it ran the message. */
    private boolean dispatch(HostMessage m) {
        switch (m.type()) {
            case HostMessage.CALL -> {
                if (m.function() == null || !slow.contains(m.function())) {
                    return inline(m);
                }
                threads.execute(() -> onCallThread(m));
            }
            case HostMessage.BATCH -> threads.execute(() -> send(Wire.line(calls.batch(m))));
            case HostMessage.WARM_UP -> threads.execute(() -> send(Wire.line(calls.warmUp(m))));
            default -> outbox.add(Wire.line(HostMessage.error(m.id(), HostMessage.PLATFORM,
                    "unknown message type " + m.type())));
        }
        return true;
    }

    private boolean inline(HostMessage m) {
        long turn = watch.begin();
        byte[] answer = calls.call(m.id(), m.function(), m.args());
        if (watch.end(turn)) {
            outbox.add(answer);
            return true;
        }
        if (m.function() != null) {
            slow.add(m.function());
        }
        send(answer);
        return false;
    }

    private void onCallThread(HostMessage m) {
        long began = System.nanoTime();
        byte[] answer = calls.call(m.id(), m.function(), m.args());
        if (System.nanoTime() - began < budgetNanos) {
            slow.remove(m.function());
        }
        send(answer);
    }

    private void send(byte[] line) {
        outbox.add(line);
        flush();
    }

    private void flush() {
        try {
            outbox.flush();
        } catch (IOException e) {
            HostLog.warn("answering the node", e);
        }
    }
}
