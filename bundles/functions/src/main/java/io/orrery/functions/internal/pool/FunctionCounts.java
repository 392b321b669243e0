package io.orrery.functions.internal.pool;

import io.orrery.api.function.CallTicket;
import io.orrery.api.function.ErrorClass;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Attempts and failures by class, per tenant and function, on this node: what the function list shows. */
public final class FunctionCounts implements PoolEvents {

    private record Key(String tenant, String function) {
    }

    private static final class Counts {
        final LongAdder invocations = new LongAdder();
        final Map<ErrorClass, LongAdder> failures = new EnumMap<>(ErrorClass.class);

        Counts() {
            for (ErrorClass c : ErrorClass.values()) {
                failures.put(c, new LongAdder());
            }
        }
    }

    private final Map<Key, Counts> counts = new ConcurrentHashMap<>();

    @Override
    public void released(CallTicket ticket, String pool, ErrorClass failure, long ranNanos) {
        Counts c = counts.computeIfAbsent(new Key(ticket.tenant(), ticket.function()), k -> new Counts());
        c.invocations.add(ticket.calls());
        if (failure != null) {
            c.failures.get(failure).increment();
        }
    }

    /** Attempts of the function by the tenant; a null tenant sums every tenant's. */
    public long invocations(String tenant, String function) {
        return sum(tenant, function, null);
    }

    /** Failed attempts by class, every class present; a null tenant sums every tenant's. */
    public Map<ErrorClass, Long> failures(String tenant, String function) {
        Map<ErrorClass, Long> out = new EnumMap<>(ErrorClass.class);
        for (ErrorClass c : ErrorClass.values()) {
            out.put(c, sum(tenant, function, c));
        }
        return out;
    }

    private long sum(String tenant, String function, ErrorClass failure) {
        long n = 0;
        for (var e : counts.entrySet()) {
            if (e.getKey().function().equals(function) && (tenant == null || e.getKey().tenant().equals(tenant))) {
                n += failure == null ? e.getValue().invocations.sum() : e.getValue().failures.get(failure).sum();
            }
        }
        return n;
    }
}
