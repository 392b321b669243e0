package io.orrery.functions.internal.pool;

import io.orrery.api.function.CallAdmission;
import io.orrery.api.function.CallTicket;
import io.orrery.api.function.ErrorClass;
import io.orrery.api.function.PoolView;
import io.orrery.api.function.ResourcePools;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The node's resource pools admitting calls. A call waits in its pool's queue (regular before opportunistic, higher
 * priority first, then first come). Whenever a slot may be free, the tree gives it to the best waiting call that fits
 * under its pool's max and every ancestor's: first a call whose pool (or an ancestor) is below its reservation — the
 * owner taking back what it lent — then any other regular call, which may borrow a sibling's idle reserved slots,
 * and only then an opportunistic call, which so runs on capacity nobody else is waiting for. Running calls are
 * never preempted: a lent slot comes back when its call ends.
 *
 * <p>One lock guards the whole tree; every decision is a walk over the pools (tens of them), and the callbacks that
 * start calls run after the lock is released.
 */
public final class PoolTree implements CallAdmission, ResourcePools {

    private final PoolEvents events;
    private final Set<HeldSlot> held = new HashSet<>();
    private PoolPlan plan;
    private Map<String, PoolState> pools;
    private long seq;
    private int waiting;

    public PoolTree(PoolPlan plan, PoolEvents events) {
        this.events = events;
        this.plan = plan;
        this.pools = build(plan);
    }

    private static Map<String, PoolState> build(PoolPlan plan) {
        Map<String, PoolState> states = new LinkedHashMap<>();
        for (PoolSpec spec : plan.pools()) {
            states.put(spec.name(), new PoolState(spec, spec.parent() == null ? null : states.get(spec.parent())));
        }
        return states;
    }

    public synchronized PoolPlan plan() {
        return plan;
    }

    /**
     * Applies a new plan to the running tree: running calls keep their slots (in the pool of the same name, else in
     * the default pool), waiting calls are routed again by the new plan, and freed capacity is given out at once.
     */
    public void reconfigure(PoolPlan next) {
        List<Admission> starts;
        synchronized (this) {
            List<Waiter> queued = new ArrayList<>();
            pools.values().forEach(p -> queued.addAll(p.waiting));
            plan = next;
            pools = build(next);
            for (HeldSlot slot : held) {
                if (!pools.containsKey(slot.pool)) {
                    slot.pool = next.defaultPool();
                }
                pools.get(slot.pool).take();
            }
            for (Waiter w : queued) {
                w.pool = next.poolOf(w.ticket().tenant(), w.ticket().function());
                pools.get(w.pool).waiting.add(w);
            }
            starts = dispatch();
        }
        startAll(starts);
    }

    @Override
    public PoolView resize(String pool, int reserved, int max) {
        PoolPlan next;
        synchronized (this) {
            next = plan.resize(pool, reserved, max);
        }
        reconfigure(next);
        return pools().stream().filter(v -> v.name().equals(pool)).findFirst().orElseThrow();
    }

    @Override
    public synchronized int room() {
        return Math.max(0, plan.waiting() - waiting);
    }

    @Override
    public synchronized int batchSize(String tenant, String function) {
        return plan.batchOf(function);
    }

    @Override
    public synchronized Set<String> owedTenants() {
        Set<String> owed = new TreeSet<>();
        plan.tenants().forEach((tenant, pool) -> {
            PoolState p = pools.get(pool);
            if (p.inUse + p.waiting.size() < p.spec.reserved()) {
                owed.add(tenant);
            }
        });
        return owed;
    }

    @Override
    public Waiting request(CallTicket ticket, Consumer<Slot> start) {
        Waiter w;
        List<Admission> starts;
        synchronized (this) {
            w = new Waiter(this, ticket, plan.isOpportunistic(ticket.function()), seq++, start);
            w.pool = plan.poolOf(ticket.tenant(), ticket.function());
            pools.get(w.pool).waiting.add(w);
            waiting++;
            starts = dispatch();
        }
        startAll(starts);
        return w;
    }

    synchronized boolean withdraw(Waiter w) {
        if (w.settled) {
            return false;
        }
        w.settled = true;
        pools.get(w.pool).waiting.remove(w);
        waiting--;
        return true;
    }

    void release(HeldSlot slot, ErrorClass failure) {
        List<Admission> starts;
        synchronized (this) {
            if (slot.released) {
                return;
            }
            slot.released = true;
            held.remove(slot);
            pools.get(slot.pool).give();
            starts = dispatch();
        }
        events.released(slot.ticket, slot.pool, failure, System.nanoTime() - slot.since);
        startAll(starts);
    }

    private record Admission(Waiter waiter, HeldSlot slot) {
    }

    /** Gives free slots to waiting calls, best first, until no waiting call fits. */
    private List<Admission> dispatch() {
        List<Admission> starts = List.of();
        while (true) {
            PoolState best = null;
            boolean bestOwed = false;
            for (PoolState p : pools.values()) {
                Waiter head = p.waiting.peek();
                if (head == null || !p.fits()) {
                    continue;
                }
                boolean owed = p.owed();
                if (best == null || before(head, owed, best.waiting.peek(), bestOwed)) {
                    best = p;
                    bestOwed = owed;
                }
            }
            if (best == null) {
                return starts;
            }
            Waiter w = best.waiting.poll();
            w.settled = true;
            waiting--;
            best.take();
            HeldSlot slot = new HeldSlot(this, w.ticket(), best.spec.name());
            held.add(slot);
            if (starts.isEmpty()) {
                starts = new ArrayList<>(2);
            }
            starts.add(new Admission(w, slot));
        }
    }

    private static boolean before(Waiter a, boolean aOwed, Waiter b, boolean bOwed) {
        if (a.opportunistic() != b.opportunistic()) {
            return !a.opportunistic();
        }
        if (aOwed != bOwed) {
            return aOwed;
        }
        return PoolState.ORDER.compare(a, b) < 0;
    }

    private void startAll(List<Admission> starts) {
        for (Admission a : starts) {
            events.admitted(a.waiter().ticket(), a.slot().pool, System.nanoTime() - a.waiter().since());
            a.waiter().start.accept(a.slot());
        }
    }

    @Override
    public synchronized List<PoolView> pools() {
        List<PoolView> views = new ArrayList<>(pools.size());
        for (PoolState p : pools.values()) {
            views.add(new PoolView(p.spec.name(), p.spec.parent(), p.spec.reserved(), p.spec.max(), p.inUse,
                    lent(p), p.waiting.size()));
        }
        return views;
    }

    /**
     * Of a pool's idle reserved slots, how many its siblings (and its parent's own calls) hold: what they use beyond
     * their reservations and beyond the parent's unreserved slots, charged to the idle pools in configured order.
     */
    private int lent(PoolState pool) {
        PoolState parent = pool.parent;
        if (parent == null || pool.idleReserved() == 0) {
            return 0;
        }
        int reservedBelow = 0;
        int beyond = 0;
        int childrenInUse = 0;
        List<PoolState> siblings = new ArrayList<>();
        for (PoolState p : pools.values()) {
            if (p.parent == parent) {
                siblings.add(p);
                reservedBelow += p.spec.reserved();
                beyond += p.beyondReserved();
                childrenInUse += p.inUse;
            }
        }
        int unreserved = Math.max(0, parent.spec.max() - reservedBelow);
        int lentOut = Math.max(0, beyond + (parent.inUse - childrenInUse) - unreserved);
        for (PoolState s : siblings) {
            int share = Math.min(s.idleReserved(), lentOut);
            if (s == pool) {
                return share;
            }
            lentOut -= share;
        }
        return 0;
    }
}
