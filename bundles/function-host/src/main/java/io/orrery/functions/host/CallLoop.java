package io.orrery.functions.host;

import io.orrery.api.function.FunctionFailure;
import io.orrery.api.function.OrreryFunction;
import io.orrery.functions.protocol.HostMessage;
import io.orrery.functions.protocol.Wire;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
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
            case HostMessage.CALL -> calls.execute(() -> send(call(m.id(), m.function(), m.args())));
            case HostMessage.BATCH -> calls.execute(() -> send(batch(m)));
            case HostMessage.WARM_UP -> calls.execute(() -> send(warmUp(m)));
            default -> send(HostMessage.error(m.id(), HostMessage.PLATFORM, "unknown message type " + m.type()));
        }
    }

    private HostMessage call(String id, String name, Map<String, Object> args) {
        Optional<OrreryFunction> f = name == null ? Optional.empty() : functions.find(name);
        if (f.isEmpty()) {
            return HostMessage.error(id, HostMessage.PLATFORM, "no function named " + name + " in this host");
        }
        try {
            Map<String, Object> value = f.get().apply(args == null ? Map.of() : args);
            HostMessage result = HostMessage.result(id, value == null ? Map.of() : value);
            Wire.write(result); // a value that is not JSON data is the function's (user) error, found before sending
            return result;
        } catch (FunctionFailure e) {
            return HostMessage.error(id, HostMessage.FAILURE, e.getMessage());
        } catch (Exception | StackOverflowError | LinkageError | AssertionError e) {
            return HostMessage.error(id, HostMessage.USER, describe(e));
        }
    }

    // Micro-batching's first form: the calls run one after another on one thread. A function with a batch entry
    // point (issue 12) will take them all at once.
    private HostMessage batch(HostMessage m) {
        List<HostMessage> results = new ArrayList<>();
        for (HostMessage c : m.calls() == null ? List.<HostMessage>of() : m.calls()) {
            results.add(call(c.id(), m.function(), c.args()));
        }
        return HostMessage.batchResult(m.id(), results);
    }

    // Looking a Java function up activates its DS component (and its class loading); Emirax functions are built.
    private HostMessage warmUp(HostMessage m) {
        return functions.find(m.function()).map(f -> HostMessage.warm(m.id(), f.name()))
                .orElseGet(() -> HostMessage.error(m.id(), HostMessage.PLATFORM,
                        "no function named " + m.function() + " in this host"));
    }

    private void send(HostMessage m) {
        String line = Wire.write(m);
        synchronized (protocol) {
            protocol.print(line);
            protocol.print('\n');
            protocol.flush();
        }
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + message;
    }
}
