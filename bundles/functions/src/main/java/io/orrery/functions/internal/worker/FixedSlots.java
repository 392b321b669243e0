package io.orrery.functions.internal.worker;

import io.orrery.api.function.CallAdmission;
import io.orrery.api.function.CallTicket;
import io.orrery.api.function.ErrorClass;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Admission without resource pools: a fixed number of slots, higher priority first, then first come. What the
 * worker uses when no pools are published (tests, the test kit, a node without the functions bundle).
 */
public final class FixedSlots implements CallAdmission {

    private record Waiter(CallTicket ticket, long seq, Consumer<Slot> start) {
    }

    private static final Comparator<Waiter> ORDER = Comparator
            .comparingInt((Waiter w) -> w.ticket().priority()).reversed().thenComparingLong(Waiter::seq);

    private final int slots;
    private final int waitingLimit;
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>(ORDER);
    private int inUse;
    private long seq;

    /**
     * @param slots        calls run at once
     * @param waitingLimit claimed calls that may wait for a slot
     */
    public FixedSlots(int slots, int waitingLimit) {
        this.slots = Math.max(1, slots);
        this.waitingLimit = Math.max(1, waitingLimit);
    }

    @Override
    public synchronized int room() {
        return Math.max(0, waitingLimit - waiting.size());
    }

    @Override
    public Set<String> owedTenants() {
        return Set.of();
    }

    @Override
    public Waiting request(CallTicket ticket, Consumer<Slot> start) {
        Waiter w = new Waiter(ticket, nextSeq(), start);
        synchronized (this) {
            waiting.add(w);
        }
        startWhatFits();
        return () -> {
            synchronized (FixedSlots.this) {
                return waiting.remove(w);
            }
        };
    }

    private synchronized long nextSeq() {
        return seq++;
    }

    private void startWhatFits() {
        List<Waiter> starts = new ArrayList<>(1);
        synchronized (this) {
            while (inUse < slots && !waiting.isEmpty()) {
                inUse++;
                starts.add(waiting.poll());
            }
        }
        for (Waiter w : starts) {
            w.start().accept(new Slot() {
                private boolean released;

                @Override
                public String pool() {
                    return "fixed";
                }

                @Override
                public void release(ErrorClass failure) {
                    synchronized (FixedSlots.this) {
                        if (released) {
                            return;
                        }
                        released = true;
                        inUse--;
                    }
                    startWhatFits();
                }
            });
        }
    }
}
