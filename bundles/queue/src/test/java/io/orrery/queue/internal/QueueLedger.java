package io.orrery.queue.internal;

import io.orrery.api.queue.Claim;
import io.orrery.api.queue.ClaimRequest;
import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueService;
import io.orrery.api.queue.QueueStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The producers' and consumers' own record of what the queue promised, and the invariants checked against it:
 * <ol>
 *   <li>no lease token is issued twice;</li>
 *   <li>no acked message returns (is claimed again, or is held unfinished);</li>
 *   <li>every accepted message is delivered until it is acked;</li>
 *   <li>nothing stays leased with no holder beyond its lease.</li>
 * </ol>
 * An ack or enqueue whose call failed is not recorded (its outcome is unknown to the caller). After a full-cluster
 * kill, what was accepted or acked since the last complete journal flush may be lost or come back (the
 * write-behind window, {@link #restarted()}); everything before it may not.
 */
final class QueueLedger {

    private final QueueId queue;
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    /** Acked messages that must never be delivered again (after a full kill: those acked before the flush). */
    private final Set<String> settled = ConcurrentHashMap.newKeySet();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private Set<String> durableAccepted = Set.of();
    private Set<String> durableAcked = Set.of();

    QueueLedger(QueueId queue) {
        this.queue = queue;
    }

    QueueId queue() {
        return queue;
    }

    void accepted(String id) {
        accepted.add(id);
    }

    /** Claims returned to a consumer: their tokens must be new, their messages not acked. */
    void claimed(List<Claim> claims) {
        for (Claim c : claims) {
            String before = tokens.putIfAbsent(c.leaseToken(), c.messageId());
            if (before != null) {
                violations.add("lease token " + c.leaseToken() + " issued twice (" + before + ", " + c.messageId()
                        + ")");
            }
            if (settled.contains(c.messageId())) {
                violations.add("acked message " + c.messageId() + " delivered again");
            }
        }
    }

    void acked(Claim c) {
        acked.add(c.messageId());
        settled.add(c.messageId());
    }

    /** An ack whose call failed: it may or may not have taken effect, so the message is promised nothing. */
    void ackUnknown(Claim c) {
        accepted.remove(c.messageId());
    }

    /** A journal flush of every member completed: what was recorded so far survives a full kill. */
    void flushed() {
        durableAccepted = Set.copyOf(accepted);
        durableAcked = Set.copyOf(acked);
    }

    /**
     * The whole cluster was killed and restarted: only what was durable is still promised. A message acked since
     * the flush may come back (its completion may not have been written) or not; either is right.
     */
    void restarted() {
        accepted.retainAll(durableAccepted);
        settled.retainAll(durableAcked);
    }

    /** Claims and acks everything, then checks every invariant; returns the violations found. */
    List<String> drainAndCheck(QueueService service, Duration within) throws InterruptedException {
        Set<String> owed = new HashSet<>(accepted);
        owed.removeAll(acked);
        long deadline = System.nanoTime() + within.toNanos();
        boolean empty = false;
        while (!empty && System.nanoTime() < deadline) {
            List<Claim> got = service.claim(ClaimRequest.of(queue).max(50).waitUpTo(Duration.ofMillis(100)));
            claimed(got);
            for (Claim c : got) {
                if (service.ack(c)) {
                    acked(c);
                    owed.remove(c.messageId());
                }
            }
            owed.removeAll(acked); // acks a racing thread recorded meanwhile
            // done when nothing is owed and nothing is left, including messages whose enqueue failed but took
            empty = got.isEmpty() && owed.isEmpty() && service.stats(queue).depth() == 0;
        }
        List<String> found = new ArrayList<>(violations);
        if (!owed.isEmpty()) {
            List<String> some = owed.stream().sorted().limit(5).toList();
            List<String> states = new ArrayList<>();
            for (String id : some) {
                states.add(id + "=" + service.find(queue, id).map(i -> i.state() + " attempts "
                        + i.message().attempts()).orElse("unknown"));
            }
            found.add(owed.size() + " accepted message(s) never delivered until acked, e.g. " + states);
        }
        for (String id : durableOrAll(settled)) {
            service.find(queue, id).filter(i -> !i.state().isFinal()).ifPresent(i ->
                    found.add("acked message " + id + " is " + i.state() + " again"));
        }
        QueueStats stats = service.stats(queue);
        if (owed.isEmpty() && stats.depth() > 0) {
            found.add("left behind after the drain: " + stats.inFlight() + " leased, "
                    + stats.count(MessageState.PENDING) + " pending, " + stats.count(MessageState.DELAYED)
                    + " delayed");
        }
        return found;
    }

    private static Set<String> durableOrAll(Set<String> acked) {
        return acked.size() > 2000 ? Set.copyOf(new ArrayList<>(acked).subList(0, 2000)) : acked;
    }
}
