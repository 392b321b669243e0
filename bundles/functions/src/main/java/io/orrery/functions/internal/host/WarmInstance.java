package io.orrery.functions.internal.host;

import io.orrery.functions.protocol.HostMessage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running host of a tenant: which of its functions are warmed up, and how many calls it runs now. */
final class WarmInstance {

    private static final Logger LOG = LoggerFactory.getLogger(WarmInstance.class);

    private final String tenant;
    private final int index;
    private final HostProcess process;
    private final List<String> names;
    private final Set<String> warm = ConcurrentHashMap.newKeySet();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile long idleSince = System.nanoTime();

    /** @param index the instance's number among the tenant's hosts (its scratch directory) */
    WarmInstance(String tenant, int index, HostProcess process, List<String> names) {
        this.tenant = tenant;
        this.index = index;
        this.process = process;
        this.names = List.copyOf(names);
    }

    /** The functions the host serves. */
    List<String> names() {
        return names;
    }

    int index() {
        return index;
    }

    HostProcess process() {
        return process;
    }

    /** The functions warmed up on it, by name. */
    List<String> warm() {
        return warm.stream().sorted().toList();
    }

    boolean isWarm(String function) {
        return warm.contains(function);
    }

    int busy() {
        return busy.get();
    }

    long idleSince() {
        return idleSince;
    }

    void enter() {
        busy.incrementAndGet();
    }

    void leave() {
        if (busy.decrementAndGet() == 0) {
            idleSince = System.nanoTime();
        }
    }

    /**
     * Runs the function's {@code warmUp} in this host once. A warm-up that fails is logged and not tried again:
     * the function's calls then fail or succeed on their own.
     */
    synchronized void warmUp(String function, Duration limit) throws InterruptedException {
        if (warm.contains(function)) {
            return;
        }
        try {
            HostMessage answer = process.request(HostMessage.warmUp(process.nextId(), function), limit);
            if (HostMessage.ERROR.equals(answer.type())) {
                LOG.warn("tenant {}: warm-up of {} in function host pid {} failed: {}", tenant, function,
                        process.handle().pid(), answer.message());
            }
        } catch (TimeoutException e) {
            process.kill();
            throw new HostFailure(function + " did not warm up within " + limit + "; the function host of tenant "
                    + tenant + " was killed");
        }
        warm.add(function);
    }
}
