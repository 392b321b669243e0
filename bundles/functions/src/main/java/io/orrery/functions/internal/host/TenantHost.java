package io.orrery.functions.internal.host;

import io.orrery.api.function.BatchOutcome;
import io.orrery.api.function.CallStart;
import io.orrery.api.function.TenantHostsView;
import io.orrery.functions.internal.worker.DeferredCall;
import io.orrery.functions.protocol.HostMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant's function hosts over time. The first starts when the tenant's bundles arrive (to learn which
 * functions they serve); then as many run as the tenant's functions want warm instances ({@link WarmSettings}),
 * each warmed up ({@code warmUp} run) for its functions before any call comes, and started again by
 * {@link #upkeep} when one dies. Load adds hosts: the queue wait of the tenant's calls sets a host target
 * ({@link HostDemand}) that upkeep starts hosts up to, each warmed up for the functions whose calls waited too long.
 * A call goes to the least busy host with its function warm; with none running, it starts a host itself (a cold
 * start). Hosts beyond the target (at least the warm capacity) are stopped once idle for a while. A call
 * interrupted by its caller's timeout, or running past the call limit, kills its host with the whole process tree:
 * code that ignores interrupts (a tight loop, a catastrophic regex) stops only that way.
 */
public final class TenantHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TenantHost.class);

    private final String tenant;
    private final HostLauncher launcher;
    private final Consumer<List<String>> served;
    private final WarmSettings warm;
    private final HostEvents events;
    private final HostDemand demand;
    /** Functions whose calls waited longer than the target: warmed up on every host load added. */
    private final Set<String> hot = ConcurrentHashMap.newKeySet();
    /** Changed under this object's lock; read without it by a call looking for a warm host. */
    private final List<WarmInstance> instances = new CopyOnWriteArrayList<>();
    private List<Path> bundles = List.of();
    private volatile List<String> names = List.of();
    private volatile Map<String, Map<String, Integer>> declared = Map.of();
    /** Hosts launched and not ready yet, by instance number (for operators: calls never look here). */
    private final Map<HostProcess, Integer> starting = new ConcurrentHashMap<>();
    private final HostTally tally = new HostTally();
    /** The warm capacity as last reckoned (under the lock), for operators reading without it. */
    private volatile int warmCapacity;

    /** @param served told the function names each newly started host serves */
    public TenantHost(String tenant, HostLauncher launcher, Consumer<List<String>> served) {
        this(tenant, launcher, served, WarmSettings.DEFAULTS, HostEvents.NONE);
    }

    public TenantHost(String tenant, HostLauncher launcher, Consumer<List<String>> served, WarmSettings warm,
                      HostEvents events) {
        this(tenant, launcher, served, warm, events, new HostDemand(DemandSettings.DEFAULTS));
    }

    /** @param demand the node's host targets, fed by the queue wait of every tenant's calls */
    public TenantHost(String tenant, HostLauncher launcher, Consumer<List<String>> served, WarmSettings warm,
                      HostEvents events, HostDemand demand) {
        this.demand = demand;
        this.tenant = tenant;
        this.launcher = launcher;
        this.served = served;
        this.warm = warm;
        this.events = events;
    }

    public String tenant() {
        return tenant;
    }

    /**
     * Replaces the hosts' bundles, starts a host on them and as many more as warm capacity asks for, each warmed
     * up; answers the functions they serve.
     */
    public synchronized List<String> deploy(List<Path> jars) throws InterruptedException {
        this.bundles = List.copyOf(jars);
        stopAll();
        names = startLocked().names();
        hot.retainAll(names);
        warmCapacity = wantedLocked();
        keepWarmLocked(Math.max(warmCapacity, demand.current(tenant)));
        return names;
    }

    /** The least busy running host, started first if there is none. */
    public HostProcess running() throws InterruptedException {
        WarmInstance instance = pick(null);
        instance.leave(); // not a call: the caller only wants the process
        return instance.process();
    }

    /** Pids of the hosts running now (for operators and tests). */
    public synchronized List<Long> pids() {
        pruneLocked();
        return instances.stream().map(i -> i.process().handle().pid()).toList();
    }

    /**
     * A call of {@code function} started after waiting {@code wait} in its queue: a wait beyond the target raises
     * the host target, and hosts added for it warm that function up. Calls of functions these hosts do not serve
     * (platform functions the tenant calls) are not theirs to speed up.
     */
    public void waited(String function, Duration wait) {
        if (!names.contains(function)) {
            return;
        }
        if (wait.compareTo(demand.settings().targetWait()) > 0) {
            hot.add(function);
        }
        demand.waited(tenant, wait);
    }

    /** The hosts load asks for now (at least the warm capacity), as last set. */
    public int target() {
        return demand.current(tenant);
    }

    /**
     * The tenant's hosts as they are now, for operators: read without this object's lock, which a host start holds
     * for most of a second, and without anything a call waits for.
     */
    public TenantHostsView view() {
        return HostListing.of(tenant, Math.max(demand.current(tenant), warmCapacity), tally, starting, instances,
                launcher.sandbox().on());
    }

    /** The instances warm capacity asks for: the most any of the tenant's functions wants. */
    synchronized int wantedLocked() {
        int most = 0;
        for (String f : names) {
            most = Math.max(most, warm.wanted(f, declared(f, HostMessage.WARM_INSTANCES, 0)));
        }
        return most;
    }

    /**
     * Brings the hosts to the host target, at least the warm capacity (starting and warming up what died or what
     * load asks for), and stops hosts beyond it that were idle longer than {@link WarmSettings#idle()}. Run
     * periodically by the node.
     */
    public synchronized void upkeep() throws InterruptedException {
        if (bundles.isEmpty()) {
            return;
        }
        pruneLocked();
        warmCapacity = wantedLocked();
        int wanted = demand.target(tenant, warmCapacity);
        keepWarmLocked(wanted);
        long now = System.nanoTime();
        instances.sort(Comparator.comparingInt(WarmInstance::index));
        for (int i = instances.size() - 1; i >= wanted; i--) {
            WarmInstance idle = instances.get(i);
            if (idle.busy() == 0 && now - idle.idleSince() >= warm.idle().toNanos()) {
                instances.remove(i);
                if (idle.busy() > 0) { // a call took it without the lock meanwhile (see warmHost)
                    instances.add(idle);
                    continue;
                }
                LOG.info("tenant {}: function host pid {} stopped, idle beyond the host target of {}", tenant,
                        idle.process().handle().pid(), wanted);
                idle.process().close();
                tally.stopped(1);
            }
        }
        events.hosts(tenant, wanted, instances.size());
    }

    /** Starts hosts up to {@code wanted} and warms each function up on as many as it wants (all, if it is hot). */
    private void keepWarmLocked(int wanted) throws InterruptedException {
        if (instances.size() < wanted) {
            LOG.info("tenant {}: starting function hosts to reach {} (warm capacity {}, {} running)", tenant, wanted,
                    wantedLocked(), instances.size());
        }
        while (instances.size() < wanted) {
            startLocked();
        }
        instances.sort(Comparator.comparingInt(WarmInstance::index));
        for (String f : names) {
            int n = hot.contains(f) ? instances.size() : warm.wanted(f, declared(f, HostMessage.WARM_INSTANCES, 0));
            for (int i = 0; i < Math.min(n, instances.size()); i++) {
                instances.get(i).warmUp(f, launcher.settings().startTimeout());
            }
        }
    }

    private WarmInstance startLocked() throws InterruptedException {
        int index = 0;
        while (indexTaken(index)) {
            index++;
        }
        HostProcess p = launcher.launch(tenant, bundles, index);
        tally.started();
        starting.put(p, index);
        List<String> started;
        try {
            started = p.awaitReady(launcher.settings().startTimeout());
        } catch (RuntimeException | InterruptedException e) {
            tally.ended(p); // before the kill below: a host that failed to start ended on its own
            p.kill();
            starting.remove(p);
            throw e;
        }
        declared = p.declared();
        WarmInstance instance = new WarmInstance(tenant, index, p, started);
        instances.add(instance);
        starting.remove(p); // only now: a listing reads the starting ones first, so it never misses this host
        LOG.info("tenant {}: function host pid {} serves {} (sandbox {})", tenant, p.handle().pid(), started,
                launcher.sandbox().status());
        served.accept(started);
        return instance;
    }

    private boolean indexTaken(int index) {
        return instances.stream().anyMatch(i -> i.index() == index);
    }

    private void pruneLocked() {
        for (WarmInstance i : instances) {
            if (!i.process().alive() && instances.remove(i)) {
                tally.ended(i.process());
            }
        }
    }

    /**
     * The host for a call of {@code function} (null: any), marked busy: the least busy one with the function warm,
     * else the least busy one, else a new one. The function is warmed up on it first if it is not yet; either way
     * that call is a cold start.
     */
    private WarmInstance pick(String function) throws InterruptedException {
        WarmInstance warmHost = function == null ? null : warmHost(function);
        if (warmHost != null) {
            events.warmHit(tenant, function);
            CallStart.report(CallStart.WARM);
            return warmHost;
        }
        long began = System.nanoTime();
        boolean started = false;
        WarmInstance chosen;
        synchronized (this) {
            pruneLocked();
            chosen = instances.stream().filter(i -> function == null || i.isWarm(function))
                    .min(Comparator.comparingInt(WarmInstance::busy)).orElse(null);
            if (chosen == null) {
                chosen = instances.stream().min(Comparator.comparingInt(WarmInstance::busy)).orElse(null);
            }
            if (chosen == null) {
                chosen = startLocked();
                started = true;
            }
            chosen.enter();
        }
        if (function != null && (started || !chosen.isWarm(function))) {
            try {
                chosen.warmUp(function, launcher.settings().startTimeout());
            } catch (InterruptedException | RuntimeException e) {
                chosen.leave();
                throw e;
            }
            events.coldStart(tenant, function, System.nanoTime() - began);
            CallStart.report(CallStart.COLD);
        } else if (function != null) {
            events.warmHit(tenant, function);
            CallStart.report(CallStart.WARM);
        }
        return chosen;
    }

    /**
     * The least busy live host with the function warm, marked busy, found without the lock (every call asks); null
     * if there is none. A host that upkeep took out meanwhile is left again: upkeep takes a host out first and then
     * checks that no call entered it, so one of the two sees the other.
     */
    private WarmInstance warmHost(String function) {
        WarmInstance best = null;
        for (WarmInstance i : instances) {
            if (i.isWarm(function) && i.process().alive() && (best == null || i.busy() < best.busy())) {
                best = i;
            }
        }
        if (best == null) {
            return null;
        }
        best.enter();
        if (!instances.contains(best)) {
            best.leave();
            return null;
        }
        return best;
    }

    /**
     * Runs a call in a host. An interrupt (the caller's timeout) or the call limit kills that host; the next call
     * goes to another or starts a new one.
     */
    public Map<String, Object> call(String function, Map<String, Object> args) throws Exception {
        return onHost(function, p -> p.call(function, args, launcher.settings().callLimit()));
    }

    /**
     * Sends a call to the least busy host already warm for the function, without waiting for anything; null when no
     * host is warm for it or the call cannot be sent at once (then {@link #call} runs it, starting a host if need
     * be). The answer completes the call's future on that host's reading thread; its overrun kills the host.
     */
    public DeferredCall callLater(String function, Map<String, Object> args) {
        WarmInstance instance = warmHost(function);
        if (instance == null) {
            return null;
        }
        HostProcess p = instance.process();
        Duration limit = launcher.settings().callLimit();
        CompletableFuture<HostMessage> sent;
        try {
            sent = p.callLater(function, args, limit);
        } catch (RuntimeException e) {
            instance.leave();
            throw e;
        }
        if (sent == null) {
            instance.leave();
            return null;
        }
        events.warmHit(tenant, function);
        CallStart.report(CallStart.WARM);
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        sent.whenComplete((m, failure) -> {
            instance.leave();
            if (failure != null) {
                answer.completeExceptionally(failure);
                return;
            }
            try {
                answer.complete(Answers.value(function, m));
            } catch (FunctionError | RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return new DeferredCall(answer, limit, why -> kill(p, why));
    }

    /** Runs a micro-batch in a host, as {@link #call} runs one call. */
    public List<BatchOutcome> callBatch(String function, List<Map<String, Object>> calls) throws Exception {
        return onHost(function, p -> p.batch(function, calls, launcher.settings().callLimit()));
    }

    /** What a function declared when the host became ready ({@code HostMessage.BATCH_SIZE}…), else otherwise. */
    public int declared(String function, String declaration, int otherwise) {
        return declared.getOrDefault(function, Map.of()).getOrDefault(declaration, otherwise);
    }

    /** Work on a running host that may be interrupted or overrun. */
    private interface HostWork<T> {
        T on(HostProcess p) throws InterruptedException, TimeoutException, FunctionError;
    }

    private <T> T onHost(String function, HostWork<T> work) throws Exception {
        WarmInstance instance = pick(function);
        HostProcess p = instance.process();
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
        } finally {
            instance.leave();
        }
    }

    /**
     * Kills the host at once, without this host's lock: an overrun is told on the worker's alarm thread, which must
     * not wait for a host start (most of a second under the lock) while other calls' timeouts fall due. The list of
     * hosts is a copy-on-write one, so taking this host out needs no lock either.
     */
    private void kill(HostProcess p, String why) {
        LOG.warn("tenant {}: killing function host pid {} and its process tree: {}", tenant, p.handle().pid(), why);
        p.kill();
        if (instances.removeIf(i -> i.process() == p)) {
            tally.ended(p);
        }
    }

    private void stopAll() {
        pruneLocked();
        instances.forEach(i -> i.process().close());
        tally.stopped(instances.size());
        instances.clear();
    }

    @Override
    public synchronized void close() {
        stopAll();
        bundles = List.of();
    }
}
