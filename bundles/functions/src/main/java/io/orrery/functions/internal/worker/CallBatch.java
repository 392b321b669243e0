package io.orrery.functions.internal.worker;

import io.orrery.api.function.CallInbox;
import io.orrery.api.function.CallTicket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntBiFunction;

/**
 * Claimed calls of one tenant's function that run together in one slot, through one {@code applyBatch} (a
 * micro-batch), or a single call. Calls of different tenants never share a batch, so one tenant's arguments never
 * reach a function invocation made for another.
 *
 * @param tenant   whose calls they are
 * @param function the function they call
 * @param calls    the held claims, in claim order
 */
record CallBatch(String tenant, String function, List<LeaseKeeper.Held> calls) {

    CallBatch {
        calls = List.copyOf(calls);
    }

    /**
     * Groups claimed calls by tenant and function (in the order first claimed) and cuts each group into batches of
     * at most its function's batch size.
     *
     * @param sizeOf (tenant, function) to the most calls of one batch (values below 1 count as 1)
     * @param hold   starts keeping a call's claim
     */
    static List<CallBatch> form(List<CallInbox.ClaimedCall> claimed, ToIntBiFunction<String, String> sizeOf,
                                Function<CallInbox.ClaimedCall, LeaseKeeper.Held> hold) {
        Map<List<String>, List<CallInbox.ClaimedCall>> groups = new LinkedHashMap<>();
        for (CallInbox.ClaimedCall c : claimed) {
            groups.computeIfAbsent(List.of(c.call().instance().tenant(), c.call().function()),
                    k -> new ArrayList<>()).add(c);
        }
        List<CallBatch> out = new ArrayList<>();
        List<LeaseKeeper.Held> held = new ArrayList<>();
        try {
            groups.forEach((key, calls) -> {
                int size = Math.max(1, sizeOf.applyAsInt(key.get(0), key.get(1)));
                for (int from = 0; from < calls.size(); from += size) {
                    int first = held.size();
                    calls.subList(from, Math.min(calls.size(), from + size)).forEach(c -> held.add(hold.apply(c)));
                    out.add(new CallBatch(key.get(0), key.get(1), held.subList(first, held.size())));
                }
            });
        } catch (RuntimeException e) {
            // A call held is kept alive until settled: let those held so far go, so their claims expire.
            held.forEach(LeaseKeeper.Held::release);
            throw e;
        }
        return out;
    }

    /**
     * The batch's ticket for a slot: its most urgent call's priority and its earliest enqueue time.
     *
     * @param enqueuedAt when a claimed call entered its queue (null when unknown)
     */
    CallTicket ticket(Function<CallInbox.ClaimedCall, Instant> enqueuedAt) {
        int priority = 0;
        Instant earliest = null;
        for (LeaseKeeper.Held h : calls) {
            CallInbox.ClaimedCall c = h.current();
            if (c == null) {
                continue;
            }
            priority = Math.max(priority, c.call().priority());
            Instant at = enqueuedAt.apply(c);
            if (at != null && (earliest == null || at.isBefore(earliest))) {
                earliest = at;
            }
        }
        return new CallTicket(tenant, function, priority, earliest, calls.size());
    }
}
