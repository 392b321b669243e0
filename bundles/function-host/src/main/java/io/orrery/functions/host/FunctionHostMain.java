package io.orrery.functions.host;

import io.orrery.api.function.OrreryFunction;
import io.orrery.functions.protocol.HostExit;
import io.orrery.functions.protocol.HostMessage;
import io.orrery.functions.protocol.Outbox;
import io.orrery.functions.protocol.Wire;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;

/**
 * A function host: one tenant's functions in an embedded OSGi framework, answering the node over stdin/stdout (see
 * {@link HostMessage}). The node starts it with a heap cap and, where present, inside bubblewrap and under kernel
 * limits on files; it ends when its stdin closes, exits at once if it cannot start (Felix's threads are not
 * daemons), and halts when it holds more threads or processes than it was given ({@link LimitWatch}).
 */
public final class FunctionHostMain {

    private FunctionHostMain() {
    }

    public static void main(String[] args) {
        // The protocol owns the real stdout; whatever the tenant's code prints goes to stderr, the host's log.
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        send(protocol, HostMessage.hello(ProcessHandle.current().pid()));
        EmbeddedFramework framework = null;
        FunctionCatalog functions;
        try {
            HostOptions options = HostOptions.parse(args);
            if (options.maxThreads() > 0) {
                new LimitWatch(options.maxThreads(), options.maxProcesses(), options.sandboxed(),
                        b -> overLimit(protocol, b)).start();
            }
            framework = EmbeddedFramework.start(options);
            functions = new FunctionCatalog(framework.framework().getBundleContext(), emirax(framework));
            List<String> names = functions.names();
            HostLog.info("function host for tenant " + options.tenant() + " ready: " + names);
            send(protocol, HostMessage.ready(names, functions.declared()));
        } catch (Exception | LinkageError e) {
            HostLog.warn("function host failed to start", e);
            send(protocol, HostMessage.failed(Calls.describe(e)));
            System.exit(HostExit.START_FAILED);
            return;
        }
        int status = 0;
        try {
            // stdin itself: System.in's buffer would ask for the bytes available (two more system calls) per read.
            new CallLoop(new Calls(functions::find), new Outbox(protocol), CallLoop.BUDGET)
                    .run(new FileInputStream(FileDescriptor.in));
        } catch (Exception e) {
            HostLog.warn("reading from the node", e);
            status = HostExit.NODE_LOST;
        } finally {
            functions.close();
            try {
                framework.close();
            } catch (Exception e) {
                HostLog.warn("stopping the framework", e);
            }
        }
        System.exit(status);
    }

    /**
     * Ends the host at once, with what it started: the node fails the calls in flight with the reason as it reads it,
     * so an answer that a call gives as the processes it waited for are killed counts for nothing. Halts rather than
     * exits, so no shutdown hook of the tenant's runs or holds the host up.
     */
    private static void overLimit(PrintStream protocol, LimitWatch.Breach breach) {
        // No log line here: System.err is an object tenant code can hold locked; the node logs the reason it reads.
        try {
            send(protocol, HostMessage.failed(breach.reason())); // first: no call can answer after it
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        } finally {
            Runtime.getRuntime().halt(breach.status()); // whatever failed above: the host ends
        }
    }

    private static List<OrreryFunction> emirax(EmbeddedFramework framework) {
        List<OrreryFunction> all = new ArrayList<>();
        for (Bundle b : framework.tenantBundles()) {
            all.addAll(EmiraxFunctions.of(b));
        }
        return all;
    }

    private static void send(PrintStream protocol, HostMessage m) {
        synchronized (protocol) {
            protocol.print(Wire.write(m));
            protocol.print('\n');
            protocol.flush();
        }
    }
}
