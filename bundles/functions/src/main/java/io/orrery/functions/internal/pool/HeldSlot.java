package io.orrery.functions.internal.pool;

import io.orrery.api.function.CallAdmission;
import io.orrery.api.function.CallTicket;
import io.orrery.api.function.ErrorClass;

/** A slot given to a call; the tree's lock guards {@link #pool} and {@link #released}. */
final class HeldSlot implements CallAdmission.Slot {

    private final PoolTree tree;
    final CallTicket ticket;
    final long since = System.nanoTime();
    volatile String pool;
    boolean released;

    HeldSlot(PoolTree tree, CallTicket ticket, String pool) {
        this.tree = tree;
        this.ticket = ticket;
        this.pool = pool;
    }

    @Override
    public String pool() {
        return pool;
    }

    @Override
    public void release(ErrorClass failure) {
        tree.release(this, failure);
    }
}
