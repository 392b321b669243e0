package io.orrery.functions.internal.host;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * How many hosts each tenant should run, following the queue wait of its calls. A call that waited longer than the
 * target raises the tenant's host target at once, doubling it (the backlog that made one call wait makes the next
 * ones wait as well, so half measures only queue it longer); calls waiting behind the same backlog raise it again at
 * most once per {@link #RAISE_SPACING}, the time new hosts need to start taking calls. While waits stay under the
 * target, the host target goes down one host per cool-down. It never goes above the ceiling or what the pools can run
 * at once (more hosts than slots would stay idle), and never below the tenant's warm count.
 */
public final class HostDemand {

    /** The least time between two raises of one tenant's target. */
    static final Duration RAISE_SPACING = Duration.ofSeconds(1);

    private final DemandSettings settings;
    private final LongSupplier clock;
    private final Map<String, Demand> tenants = new ConcurrentHashMap<>();
    private volatile IntSupplier slots = () -> Integer.MAX_VALUE;

    /** One tenant's target and when it last moved. Guarded by itself; the target is also read without the lock. */
    private static final class Demand {
        volatile int target;
        int warm;
        long lastRaise;
        long lastHigh;
        long lastChange;
        boolean raised;
    }

    public HostDemand(DemandSettings settings) {
        this(settings, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime()} */
    public HostDemand(DemandSettings settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The most calls the node's pools run at once (a bound of the target); unbounded until set. */
    public void slots(IntSupplier slots) {
        this.slots = slots;
    }

    public DemandSettings settings() {
        return settings;
    }

    /** A call of one of the tenant's hosted functions started after waiting {@code wait} in its queue. */
    public void waited(String tenant, Duration wait) {
        if (wait.compareTo(settings.targetWait()) <= 0) {
            return;
        }
        Demand d = tenants.computeIfAbsent(tenant, t -> new Demand());
        long now = clock.getAsLong();
        int cap = cap(); // asked outside the tenant's lock: the pools may be telling this wait under their own
        synchronized (d) {
            d.lastHigh = now;
            if (d.raised && now - d.lastRaise < RAISE_SPACING.toNanos()) {
                return;
            }
            int from = Math.max(1, Math.max(d.target, d.warm));
            int to = Math.max(d.warm, Math.min(cap, from * 2));
            if (to > d.target) {
                d.target = to;
                d.lastRaise = now;
                d.lastChange = now;
                d.raised = true;
            }
        }
    }

    /**
     * The hosts the tenant should run now, given its warm count: one step lower than before when waits stayed under
     * the target for a cool-down since the last high wait and the last step. Asked periodically by the tenant's
     * upkeep.
     */
    public int target(String tenant, int warm) {
        Demand d = tenants.computeIfAbsent(tenant, t -> new Demand());
        long now = clock.getAsLong();
        long coolDown = settings.coolDown().toNanos();
        int cap = cap();
        synchronized (d) {
            d.warm = warm;
            if (d.target > warm && now - d.lastHigh >= coolDown && now - d.lastChange >= coolDown) {
                d.target--;
                d.lastChange = now;
            }
            d.target = Math.max(warm, Math.min(d.target, cap));
            return d.target;
        }
    }

    /** The tenant's target as last set (0 before any); read without the lock the tenant's calls take. */
    public int current(String tenant) {
        Demand d = tenants.get(tenant);
        return d == null ? 0 : d.target;
    }

    /** The tenant has no hosts any more. */
    public void forget(String tenant) {
        tenants.remove(tenant);
    }

    private int cap() {
        return Math.max(1, Math.min(settings.ceiling(), slots.getAsInt()));
    }
}
