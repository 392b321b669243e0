package io.orrery.engine.internal;

import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.CallInbox;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The in-memory port for unit tests and the test kit: function calls wait in a priority-ordered list for a
 * worker (or the test kit's stubs); timers and retries wait on the engine's clock, which a test may move on.
 */
public final class MemoryCallPort implements CallDispatch, CallInbox {

    private final Clock clock;
    private final PriorityQueue<Entry> ready = new PriorityQueue<>();
    private final PriorityQueue<Entry> later = new PriorityQueue<>((a, b) -> Long.compare(a.due, b.due));
    private final List<OutboundCall> timers = new ArrayList<>();
    private long seq;

    public MemoryCallPort(Clock clock) {
        this.clock = clock;
    }

    private record Entry(OutboundCall call, int attempt, long due, long seq) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            int p = Integer.compare(o.call.priority(), call.priority());
            return p != 0 ? p : Long.compare(seq, o.seq);
        }
    }

    @Override
    public synchronized void dispatch(List<OutboundCall> calls) {
        for (OutboundCall c : calls) {
            if (c.kind() == CallKind.TIMER) {
                later.add(new Entry(c, 1, clock.millis() + c.delayMs(), seq++));
            } else {
                ready.add(new Entry(c, 1, 0, seq++));
            }
        }
        notifyAll();
    }

    @Override
    public synchronized List<ClaimedCall> claim(int max, Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        promoteDue();
        while (ready.isEmpty()) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return List.of();
            }
            wait(Math.max(1, Math.min(left / 1_000_000, 10)));
            promoteDue();
        }
        List<ClaimedCall> out = new ArrayList<>();
        while (out.size() < max && !ready.isEmpty()) {
            Entry e = ready.poll();
            out.add(new ClaimedCall(e.call, e.attempt, e));
        }
        return out;
    }

    @Override
    public void complete(ClaimedCall call) {
        // nothing to acknowledge in memory
    }

    @Override
    public synchronized void retryLater(ClaimedCall call, Duration delay, String reason) {
        later.add(new Entry(call.call(), call.attempt() + 1, clock.millis() + delay.toMillis(), seq++));
    }

    /** Timers whose time has come, removed from the port; the caller delivers their results. */
    public synchronized List<OutboundCall> dueTimers() {
        promoteDue();
        List<OutboundCall> due = new ArrayList<>(timers);
        timers.clear();
        return due;
    }

    /** Function calls waiting, without claiming them. */
    public synchronized int waiting() {
        promoteDue();
        return ready.size();
    }

    /** Calls and timers not due yet. */
    public synchronized int scheduled() {
        return later.size();
    }

    /** When the next timer or retry falls due, in epoch milliseconds; -1 if none. */
    public synchronized long nextDue() {
        return later.isEmpty() ? -1 : later.peek().due;
    }

    private void promoteDue() {
        long now = clock.millis();
        while (!later.isEmpty() && later.peek().due <= now) {
            Entry e = later.poll();
            if (e.call.kind() == CallKind.TIMER) {
                timers.add(e.call);
            } else {
                ready.add(e);
            }
        }
    }
}
