package io.orrery.functions.host;

import io.orrery.api.function.BatchOutcome;
import io.orrery.api.function.ErrorClass;
import io.orrery.api.function.FunctionFailure;
import io.orrery.api.function.OrreryFunction;
import io.orrery.functions.protocol.HostMessage;
import io.orrery.functions.protocol.Wire;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads the node's messages from stdin and answers them on the protocol stream, each call on its own thread so a
 * slow call does not hold up the next. Ends when stdin closes. A function's own exception is a {@code user} error
 * ({@code failure} for {@link FunctionFailure}); what the host itself cannot do is a {@code platform} error.
 */
final class CallLoop {

    private final FunctionCatalog functions;
    private final PrintStream protocol;
    private final ExecutorService calls;

    CallLoop(FunctionCatalog functions, PrintStream protocol) {
        this.functions = functions;
        this.protocol = protocol;
        var n = new AtomicInteger();
        this.calls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "function-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void run(BufferedReader in) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            HostMessage m;
            try {
                m = Wire.read(line);
            } catch (IllegalArgumentException e) {
                HostLog.warn("ignored a line from the node", e);
                continue;
            }
            dispatch(m);
        }
        // The node closed stdin: answer what is running, briefly, then stop.
        calls.shutdown();
        try {
            calls.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch(HostMessage m) {
        switch (m.type()) {
            case HostMessage.CALL -> calls.execute(() -> sendLine(call(m.id(), m.function(), m.args())));
            case HostMessage.BATCH -> calls.execute(() -> send(batch(m)));
            case HostMessage.WARM_UP -> calls.execute(() -> send(warmUp(m)));
            default -> send(HostMessage.error(m.id(), HostMessage.PLATFORM, "unknown message type " + m.type()));
        }
    }

    /** The answer to a call, as the line to send: written once, so a value that is not JSON data is a user error. */
    private String call(String id, String name, Map<String, Object> args) {
        Optional<OrreryFunction> f = name == null ? Optional.empty() : functions.find(name);
        if (f.isEmpty()) {
            return Wire.write(HostMessage.error(id, HostMessage.PLATFORM, "no function named " + name
                    + " in this host"));
        }
        try {
            Map<String, Object> value = f.get().apply(args == null ? Map.of() : args);
            return Wire.write(HostMessage.result(id, value == null ? Map.of() : value));
        } catch (FunctionFailure e) {
            return Wire.write(HostMessage.error(id, failureKind(e), e.getMessage()));
        } catch (Exception | StackOverflowError | LinkageError | AssertionError e) {
            return Wire.write(HostMessage.error(id, HostMessage.USER, describe(e)));
        }
    }

    // A micro-batch: one applyBatch for all its calls, each answered on its own outcome.
    private HostMessage batch(HostMessage m) {
        List<HostMessage> calls = m.calls() == null ? List.of() : m.calls();
        Optional<OrreryFunction> f = m.function() == null ? Optional.empty() : functions.find(m.function());
        if (f.isEmpty()) {
            return HostMessage.error(m.id(), HostMessage.PLATFORM, "no function named " + m.function()
                    + " in this host");
        }
        List<Map<String, Object>> args = new ArrayList<>(calls.size());
        calls.forEach(c -> args.add(c.args() == null ? Map.of() : c.args()));
        List<BatchOutcome> outcomes;
        try {
            outcomes = f.get().applyBatch(args);
        } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
            return HostMessage.error(m.id(), HostMessage.USER, describe(e));
        }
        if (outcomes == null || outcomes.size() != calls.size()) {
            return HostMessage.error(m.id(), HostMessage.USER, m.function() + " answered "
                    + (outcomes == null ? "nothing" : outcomes.size() + " outcomes") + " for a batch of "
                    + calls.size());
        }
        List<HostMessage> results = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            results.add(answer(calls.get(i).id(), outcomes.get(i)));
        }
        return HostMessage.batchResult(m.id(), results);
    }

    private static HostMessage answer(String id, BatchOutcome o) {
        if (o == null) {
            return HostMessage.error(id, HostMessage.USER, "no outcome for this call of the batch");
        }
        if (o.failed()) {
            return o.error() instanceof FunctionFailure f ? HostMessage.error(id, failureKind(f), f.getMessage())
                    : HostMessage.error(id, HostMessage.USER, describe(o.error()));
        }
        HostMessage result = HostMessage.result(id, o.value() == null ? Map.of() : o.value());
        try {
            Wire.write(result);
        } catch (RuntimeException e) {
            return HostMessage.error(id, HostMessage.USER, describe(e));
        }
        return result;
    }

    // Looking a Java function up activates its DS component (and its class loading); then its own warmUp runs.
    private HostMessage warmUp(HostMessage m) {
        Optional<OrreryFunction> f = m.function() == null ? Optional.empty() : functions.find(m.function());
        if (f.isEmpty()) {
            return HostMessage.error(m.id(), HostMessage.PLATFORM, "no function named " + m.function()
                    + " in this host");
        }
        try {
            f.get().warmUp();
            return HostMessage.warm(m.id(), f.get().name());
        } catch (Exception | StackOverflowError | LinkageError | AssertionError e) {
            return HostMessage.error(m.id(), HostMessage.USER, describe(e));
        }
    }

    private void send(HostMessage m) {
        sendLine(Wire.write(m));
    }

    // One write per answer (the line and its terminator together): the stream under it is not buffered.
    private void sendLine(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (protocol) {
            protocol.write(bytes, 0, bytes.length);
            protocol.flush();
        }
    }

    private static String failureKind(FunctionFailure f) {
        return f.errorClass() == ErrorClass.TIMEOUT ? HostMessage.TIMEOUT : HostMessage.FAILURE;
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + message;
    }
}
