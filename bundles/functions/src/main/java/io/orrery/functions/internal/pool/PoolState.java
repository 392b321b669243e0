package io.orrery.functions.internal.pool;

import java.util.Comparator;
import java.util.PriorityQueue;

/** A pool at run time: its slots in use (its own calls and those of the pools below it) and its waiting calls. */
final class PoolState {

    /** Regular calls before opportunistic ones, then higher priority first, then first come first served. */
    static final Comparator<Waiter> ORDER = Comparator.comparing(Waiter::opportunistic)
            .thenComparing(Comparator.comparingInt((Waiter w) -> w.ticket().priority()).reversed())
            .thenComparingLong(Waiter::seq);

    final PoolSpec spec;
    final PoolState parent;
    final PriorityQueue<Waiter> waiting = new PriorityQueue<>(ORDER);
    int inUse;

    PoolState(PoolSpec spec, PoolState parent) {
        this.spec = spec;
        this.parent = parent;
    }

    /** Whether one more slot fits under this pool's max and every ancestor's. */
    boolean fits() {
        for (PoolState p = this; p != null; p = p.parent) {
            if (p.inUse >= p.spec.max()) {
                return false;
            }
        }
        return true;
    }

    /** Whether this pool or an ancestor is below its reservation: its next call comes before any borrower. */
    boolean owed() {
        for (PoolState p = this; p != null; p = p.parent) {
            if (p.inUse < p.spec.reserved()) {
                return true;
            }
        }
        return false;
    }

    void take() {
        for (PoolState p = this; p != null; p = p.parent) {
            p.inUse++;
        }
    }

    void give() {
        for (PoolState p = this; p != null; p = p.parent) {
            p.inUse = Math.max(0, p.inUse - 1);
        }
    }

    /** Reserved slots that no call of this pool holds now. */
    int idleReserved() {
        return Math.max(0, spec.reserved() - inUse);
    }

    /** Slots held beyond this pool's reservation: borrowed from the parent's spare or a sibling's idle ones. */
    int beyondReserved() {
        return Math.max(0, inUse - spec.reserved());
    }
}
