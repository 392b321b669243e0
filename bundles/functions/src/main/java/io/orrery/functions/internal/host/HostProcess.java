package io.orrery.functions.internal.host;

import io.orrery.api.function.BatchOutcome;
import io.orrery.functions.protocol.FrameReader;
import io.orrery.functions.protocol.HostExit;
import io.orrery.functions.protocol.HostMessage;
import io.orrery.functions.protocol.Outbox;
import io.orrery.functions.protocol.Wire;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One running function host, seen from the node: writes calls to its stdin, matches the answers on its stdout by
 * id, and forwards its stderr to the node's log under the tenant's name. When the host ends, however it ends, every
 * call still waiting fails with a {@link HostFailure}.
 */
public final class HostProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HostProcess.class);

    /** Longer log lines from a host are cut. */
    static final int LOG_LINE = 8 * 1024;

    /**
     * The most bytes a call sent without waiting may leave unanswered: one page, the least a pipe holds. Within it a
     * write to the host's stdin cannot block, whatever the host does; so no thread that sends this way (a reader of
     * another host, a claiming thread) can be held up by this host.
     */
    static final int UNBLOCKED_BYTES = 4096;

    /** A message waiting for its answer, and the bytes it took on the stream. */
    private record Waiting(CompletableFuture<HostMessage> answer, int bytes) {
    }

    private final String tenant;
    private final Process process;
    private final Outbox stdin;
    private final CompletableFuture<List<String>> ready = new CompletableFuture<>();
    private final Map<String, Waiting> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** Bytes of the messages sent and not answered yet: at least what the host's stdin holds unread. */
    private final AtomicLong unanswered = new AtomicLong();
    private volatile String endReason;
    /** The host said it is ending (it could not start, or crossed a limit): no call goes to it any more. */
    private volatile boolean ending;
    private volatile boolean gone;
    /** A write to the host's stdin failed: nothing more is sent without waiting (see {@link #callLater}). */
    private volatile boolean broken;
    /** The thread reading the host's answers; what it sends is written when it has read all it was given. */
    private volatile Thread reader;
    /** Set by the reading thread only: it sent something that is not written yet. */
    private boolean flushOwed;
    private volatile Map<String, Map<String, Integer>> declared = Map.of();
    private final Instant startedAt = Instant.now();
    /** Set once the node killed it (not when it stopped in order): its end was the node's doing. */
    private volatile boolean killed;

    private HostProcess(String tenant, Process process) {
        this.tenant = tenant;
        this.process = process;
        this.stdin = new Outbox(process.getOutputStream());
    }

    static HostProcess start(String tenant, List<String> command, HostSpawner spawner) {
        Process process;
        try {
            process = spawner.start(command);
        } catch (IOException e) {
            throw new HostFailure("cannot start the function host of tenant " + tenant + ": " + e.getMessage(), e);
        }
        HostProcess host = new HostProcess(tenant, process);
        daemon("function-host-" + tenant + "-out", host::readAnswers).start();
        daemon("function-host-" + tenant + "-log", host::forwardLog).start();
        return host;
    }

    /** Waits for the host's {@code ready}: the names of the functions it serves. */
    public List<String> awaitReady(Duration timeout) throws InterruptedException {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof HostFailure f ? f : new HostFailure(e.getCause().toString(), e.getCause());
        } catch (TimeoutException e) {
            kill();
            throw new HostFailure("the function host of tenant " + tenant + " was not ready within " + timeout);
        }
    }

    /**
     * Calls a function and waits for its answer. Throws {@link HostFailure} when the host cannot answer,
     * {@link FunctionError} (or the API's {@code FunctionFailure}) when the function threw; an interrupt or the
     * timeout leaves the host running: the caller decides whether to kill it.
     */
    public Map<String, Object> call(String function, Map<String, Object> args, Duration timeout)
            throws InterruptedException, TimeoutException, FunctionError {
        String id = Long.toString(ids.incrementAndGet());
        HostMessage answer = request(HostMessage.call(id, function, args,
                System.currentTimeMillis() + timeout.toMillis()), timeout);
        return Answers.value(function, answer);
    }

    /**
     * Runs a micro-batch in one {@code applyBatch} of the host's function: one outcome per argument map, in order.
     * Throws as {@link #call} does when the batch as a whole fails.
     */
    public List<BatchOutcome> batch(String function, List<Map<String, Object>> calls, Duration timeout)
            throws InterruptedException, TimeoutException, FunctionError {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        List<HostMessage> items = new ArrayList<>(calls.size());
        for (Map<String, Object> args : calls) {
            items.add(HostMessage.call(Long.toString(ids.incrementAndGet()), function, args, deadline));
        }
        return Answers.batch(function, request(HostMessage.batch(nextId(), function, items, deadline), timeout),
                calls.size());
    }

    /** What the host's functions declared when it became ready (batch sizes, warm instances), by function. */
    public Map<String, Map<String, Integer>> declared() {
        return declared;
    }

    /** Sends a message with an id and waits for the answer with the same id. */
    public HostMessage request(HostMessage message, Duration timeout) throws InterruptedException, TimeoutException {
        byte[] line = Wire.line(message);
        CompletableFuture<HostMessage> answer = new CompletableFuture<>();
        unanswered.addAndGet(line.length);
        pending.put(message.id(), new Waiting(answer, line.length));
        try {
            send(line);
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof HostFailure f ? f : new HostFailure(e.getCause().toString(), e.getCause());
        } finally {
            answered(message.id());
        }
    }

    /**
     * Sends a call without waiting, if it leaves no more than {@link #UNBLOCKED_BYTES} unanswered and the host's
     * stream has not failed; else null (the caller then sends it the waiting way, which fails at once). The
     * answer completes the future on this host's reading thread; the host's end fails it with a {@link HostFailure}.
     * Sent from the reading thread itself, it is written once that thread has handled all the answers it read, with
     * whatever else they sent.
     */
    public CompletableFuture<HostMessage> callLater(String function, Map<String, Object> args, Duration limit) {
        if (gone || broken) {
            // Failing it here would settle it on the sender's stack, which would send the next call, and so on.
            return null;
        }
        String id = Long.toString(ids.incrementAndGet());
        byte[] line = Wire.line(HostMessage.call(id, function, args, System.currentTimeMillis() + limit.toMillis()));
        if (!reserve(line.length)) {
            return null;
        }
        CompletableFuture<HostMessage> answer = new CompletableFuture<>();
        pending.put(id, new Waiting(answer, line.length));
        if (gone) {
            fail(id, new HostFailure("the function host of tenant " + tenant + " is gone" + reasonSuffix()));
            return answer;
        }
        stdin.add(line);
        if (Thread.currentThread() == reader) {
            flushOwed = true;
        } else {
            try {
                stdin.flush();
            } catch (IOException e) {
                broken = true;
                fail(id, new HostFailure("the function host of tenant " + tenant + " is gone" + reasonSuffix(), e));
            }
        }
        return answer;
    }

    private boolean reserve(int bytes) {
        long now;
        do {
            now = unanswered.get();
            if (now + bytes > UNBLOCKED_BYTES) {
                return false;
            }
        } while (!unanswered.compareAndSet(now, now + bytes));
        return true;
    }

    /** Takes a message off the waiting list: its answer, if any, is for this thread to give. */
    private CompletableFuture<HostMessage> answered(String id) {
        Waiting w = pending.remove(id);
        if (w == null) {
            return null;
        }
        unanswered.addAndGet(-w.bytes());
        return w.answer();
    }

    private void fail(String id, HostFailure failure) {
        CompletableFuture<HostMessage> answer = answered(id);
        if (answer != null) {
            answer.completeExceptionally(failure);
        }
    }

    public String nextId() {
        return "n" + ids.incrementAndGet();
    }

    // Calls sent together share a write (and the host's read) while one is being written.
    private void send(byte[] line) {
        try {
            stdin.send(line);
        } catch (IOException e) {
            broken = true;
            throw new HostFailure("the function host of tenant " + tenant + " is gone" + reasonSuffix(), e);
        }
    }

    /** Running and not ending: a host that said it is ending takes no more calls while it exits. */
    public boolean alive() {
        return !ending && process.isAlive();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** When the node started the process. */
    public Instant startedAt() {
        return startedAt;
    }

    /** Whether the node killed it ({@link #kill}), as against ending on its own or stopping in order. */
    public boolean killed() {
        return killed;
    }

    /** Kills the host and everything it started, at once. */
    public void kill() {
        killed = true;
        destroyTree();
    }

    /**
     * Kills the host and its tree for crossing a limit, which its calls in flight fail naming; not a host already
     * ending on its own, whose reason stands.
     */
    void killOver(String limit) {
        if (!ending) {
            endReason = limit;
            LOG.warn("tenant {}: killing its function host: {}", tenant, limit);
            kill();
        }
    }

    private void destroyTree() {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    /** Asks the host to stop (closes its stdin), and kills it if it has not within the grace period. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            LOG.debug("closing the function host's stdin: {}", e.toString());
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
    }

    // One read takes every answer the host wrote together.
    private void readAnswers() {
        reader = Thread.currentThread();
        try (var out = process.getInputStream()) {
            var lines = new FrameReader(out, Wire.MAX_LINE);
            FrameReader.Line line;
            while ((line = lines.next()) != null) {
                if (line.truncated()) {
                    LOG.warn("tenant {}: the function host sent a line longer than {} bytes; ignored", tenant,
                            Wire.MAX_LINE);
                } else if (line.length() > 0) {
                    receive(line);
                }
                if (flushOwed && !lines.hasLine()) {
                    flushOwed = false; // about to wait for the host: the calls its answers started go first
                    flushQuietly();
                }
            }
        } catch (IOException e) {
            LOG.debug("reading the function host of tenant {}: {}", tenant, e.toString());
        }
        ended();
    }

    private void receive(FrameReader.Line line) {
        HostMessage m;
        try {
            m = Wire.read(line);
        } catch (IllegalArgumentException e) {
            // The JVM itself writes some lines there (ExitOnOutOfMemoryError's "Terminating due to ...").
            String text = new String(line.bytes(), line.offset(), Math.min(line.length(), 200),
                    StandardCharsets.UTF_8);
            if (!text.isBlank()) {
                LOG.warn("tenant {}: function host output that is not a message: {}", tenant,
                        line.length() > 200 ? text + "..." : text);
            }
            return;
        }
        switch (m.type()) {
            case HostMessage.HELLO -> LOG.debug("tenant {}: function host pid {} up", tenant, m.pid());
            case HostMessage.READY -> {
                declared = m.declared() == null ? Map.of() : m.declared();
                ready.complete(m.functions() == null ? List.of() : m.functions());
            }
            case HostMessage.FAILED -> { // it could not start, or crossed a limit: it is ending
                endReason = m.message();
                ending = true;
                ready.completeExceptionally(new HostFailure("the function host of tenant " + tenant
                        + " failed to start: " + m.message()));
                // The calls in flight fail now: an answer the host still gives on its way out counts for nothing.
                HostFailure failure = new HostFailure("the function host of tenant " + tenant + " is ending: "
                        + m.message());
                List.copyOf(pending.keySet()).forEach(id -> fail(id, failure));
                LOG.warn("tenant {}: function host is ending: {}", tenant, m.message()); // when no call is running too
                // Ended now, not left to end on its own: tenant code can write this message too, and a host taken
                // out of service but left running would be one no one counts or stops. Its own end, not a kill.
                destroyTree();
            }
            default -> {
                CompletableFuture<HostMessage> waiting = m.id() == null ? null : answered(m.id());
                if (waiting != null) {
                    waiting.complete(m);
                }
            }
        }
    }

    private void ended() {
        int status;
        try {
            status = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = -1;
        }
        if (endReason == null) {
            endReason = HostExit.describe(status);
        }
        String why = "the function host of tenant " + tenant + " ended (exit status " + status + ")" + reasonSuffix();
        HostFailure failure = new HostFailure(why);
        gone = true;
        ready.completeExceptionally(failure);
        List.copyOf(pending.keySet()).forEach(id -> fail(id, failure));
    }

    // Lost writes fail their calls when the host's end is read.
    private void flushQuietly() {
        try {
            stdin.flush();
        } catch (IOException e) {
            broken = true;
            LOG.debug("tenant {}: writing to the function host: {}", tenant, e.toString());
        }
    }

    private String reasonSuffix() {
        return endReason == null ? "" : ": " + endReason;
    }

    private void forwardLog() {
        MDC.put("tenant", tenant);
        try (var err = new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)) {
            var lines = new BoundedLineReader(new BufferedReader(err), LOG_LINE);
            String line;
            while ((line = lines.readLine()) != null) {
                LOG.info("function host [{}]: {}{}", tenant, line, lines.truncated() ? "..." : "");
            }
        } catch (IOException e) {
            LOG.debug("reading the function host's log: {}", e.toString());
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }
}
