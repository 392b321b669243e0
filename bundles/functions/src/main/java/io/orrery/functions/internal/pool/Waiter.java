package io.orrery.functions.internal.pool;

import io.orrery.api.function.CallAdmission;
import io.orrery.api.function.CallTicket;
import java.util.function.Consumer;

/** A claimed call waiting in its pool's queue; the tree's lock guards its fields. */
final class Waiter implements CallAdmission.Waiting {

    private final PoolTree tree;
    private final CallTicket ticket;
    private final boolean opportunistic;
    private final long seq;
    private final long since = System.nanoTime();
    final Consumer<CallAdmission.Slot> start;
    String pool;
    boolean settled;

    Waiter(PoolTree tree, CallTicket ticket, boolean opportunistic, long seq, Consumer<CallAdmission.Slot> start) {
        this.tree = tree;
        this.ticket = ticket;
        this.opportunistic = opportunistic;
        this.seq = seq;
        this.start = start;
    }

    CallTicket ticket() {
        return ticket;
    }

    boolean opportunistic() {
        return opportunistic;
    }

    long seq() {
        return seq;
    }

    long since() {
        return since;
    }

    @Override
    public boolean withdraw() {
        return tree.withdraw(this);
    }
}
