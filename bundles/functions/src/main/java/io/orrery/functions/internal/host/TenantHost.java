package io.orrery.functions.internal.host;

import io.orrery.api.function.BatchOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's function host over time: started when the tenant's bundles arrive (to learn which functions they
 * serve), started again for the next call after it died or was killed, replaced when the bundles change. A call
 * interrupted by its caller's timeout, or running past the call limit, kills the host with its whole process tree:
 * code that ignores interrupts (a tight loop, a catastrophic regex) stops only that way.
 */
public final class TenantHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TenantHost.class);

    private final String tenant;
    private final HostLauncher launcher;
    private final Consumer<List<String>> served;
    private List<Path> bundles = List.of();
    private HostProcess current;
    private volatile Map<String, Map<String, Integer>> declared = Map.of();

    /** @param served told the function names each newly started host serves */
    public TenantHost(String tenant, HostLauncher launcher, Consumer<List<String>> served) {
        this.tenant = tenant;
        this.launcher = launcher;
        this.served = served;
    }

    public String tenant() {
        return tenant;
    }

    /** Replaces the host's bundles and starts a host on them; answers the functions it serves. */
    public synchronized List<String> deploy(List<Path> jars) throws InterruptedException {
        this.bundles = List.copyOf(jars);
        stopCurrent();
        return startLocked();
    }

    /** The running host, started first if there is none. */
    public synchronized HostProcess running() throws InterruptedException {
        if (current == null || !current.alive()) {
            startLocked();
        }
        return current;
    }

    private List<String> startLocked() throws InterruptedException {
        current = null;
        HostProcess p = launcher.launch(tenant, bundles);
        List<String> names;
        try {
            names = p.awaitReady(launcher.settings().startTimeout());
        } catch (RuntimeException | InterruptedException e) {
            p.kill();
            throw e;
        }
        current = p;
        declared = p.declared();
        LOG.info("tenant {}: function host pid {} serves {} (sandbox {})", tenant, p.handle().pid(), names,
                launcher.sandbox().status());
        served.accept(names);
        return names;
    }

    /**
     * Runs a call in the host. An interrupt (the caller's timeout) or the call limit kills the host; the next call
     * starts a new one.
     */
    public Map<String, Object> call(String function, Map<String, Object> args) throws Exception {
        return onHost(function, p -> p.call(function, args, launcher.settings().callLimit()));
    }

    /** Runs a micro-batch in the host, as {@link #call} runs one call. */
    public List<BatchOutcome> callBatch(String function, List<Map<String, Object>> calls) throws Exception {
        return onHost(function, p -> p.batch(function, calls, launcher.settings().callLimit()));
    }

    /** What a function declared when the host became ready ({@code HostMessage.BATCH_SIZE}…), else otherwise. */
    public int declared(String function, String declaration, int otherwise) {
        return declared.getOrDefault(function, Map.of()).getOrDefault(declaration, otherwise);
    }

    /** Work on the running host that may be interrupted or overrun. */
    private interface HostWork<T> {
        T on(HostProcess p) throws InterruptedException, TimeoutException, FunctionError;
    }

    private <T> T onHost(String function, HostWork<T> work) throws Exception {
        HostProcess p = running();
        try {
            return work.on(p);
        } catch (InterruptedException e) {
            kill(p, function + " overran its timeout");
            Thread.currentThread().interrupt();
            throw new HostFailure(function + " overran its timeout; the function host of tenant " + tenant
                    + " was killed");
        } catch (TimeoutException e) {
            kill(p, function + " ran past the call limit of " + launcher.settings().callLimit());
            throw new HostFailure(function + " ran past the call limit of " + launcher.settings().callLimit()
                    + "; the function host of tenant " + tenant + " was killed");
        }
    }

    private synchronized void kill(HostProcess p, String why) {
        LOG.warn("tenant {}: killing function host pid {} and its process tree: {}", tenant, p.handle().pid(), why);
        p.kill();
        if (current == p) {
            current = null;
        }
    }

    private void stopCurrent() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Override
    public synchronized void close() {
        stopCurrent();
    }
}
