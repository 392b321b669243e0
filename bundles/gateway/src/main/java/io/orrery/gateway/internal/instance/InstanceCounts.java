package io.orrery.gateway.internal.instance;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.orrery.api.engine.InstanceId;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * How many instances each tenant holds, counted once for the whole cluster: a {@code Long} per tenant in the
 * Hazelcast map {@value #MAP}, raised by compare-and-set before an instance is created, so two gateways can never
 * both take the last place of a quota. Plain longs compared in serialized form: members need none of Orrery's
 * classes to hold the counts (no entry processor), and the map's backups keep them through a member's loss.
 *
 * <p>A count the cluster does not hold (its first use, or after a full restart, which empties every map) is
 * taken from the instance map itself ({@code recount}). Instances are removed only with their tenant, which
 * {@link #forget}s the count: a tenant created later under the same name starts from what the map holds, nothing.
 * A count errs only high, never low: a gateway that dies between reserving and creating leaves one place taken
 * until the next full restart recounts.
 *
 * <p>Requests for one new key are run one at a time ({@link #exclusively}), under a lock on the instance in the
 * same map: the engine answers a request for a key that exists with that instance, and nothing in its answer tells
 * which request created it, so they must not all find the key free and each take a place.
 */
public final class InstanceCounts {

    public static final String MAP = "orrery.gateway.instance-counts";
    /** How long a creation holds its instance's lock at most: a gateway that dies holding it frees it then. */
    static final long CREATION_LEASE_MS = 30_000;

    /** The result of a reservation: whether a place was taken, and how many the tenant holds with it. */
    public record Reservation(boolean granted, long held) { }

    private final IMap<String, Long> counts;

    public InstanceCounts(IMap<String, Long> counts) {
        this.counts = counts;
    }

    public static InstanceCounts on(HazelcastInstance hz) {
        return new InstanceCounts(hz.getMap(MAP));
    }

    /**
     * Takes a place for one new instance unless the tenant holds {@code max} already.
     *
     * @param recount the tenant's instances as the instance map holds them, for a count the cluster lacks
     */
    public Reservation reserve(String tenant, long max, LongSupplier recount) {
        while (true) {
            Long held = counts.get(tenant);
            if (held == null) {
                counts.putIfAbsent(tenant, recount.getAsLong());
                continue;
            }
            if (held >= max) {
                return new Reservation(false, held);
            }
            if (counts.replace(tenant, held, held + 1)) {
                return new Reservation(true, held + 1);
            }
        }
    }

    /**
     * Runs {@code creation} while no other thread in the cluster runs one for the same instance. Should it outlast
     * the lease, another may run meanwhile and take a place too: the count errs high.
     */
    public <T> T exclusively(InstanceId id, Supplier<T> creation) {
        // a tenant's name has no '/': the lock is never on a tenant's count
        String instance = id.tenant() + "/" + id.workflow() + "/" + id.key();
        counts.lock(instance, CREATION_LEASE_MS, TimeUnit.MILLISECONDS);
        try {
            return creation.get();
        } finally {
            try {
                counts.unlock(instance);
            } catch (IllegalMonitorStateException leaseRanOut) {
                // the lock was freed when its lease ran out: nothing to give back
            }
        }
    }

    /** Gives back a place whose instance was not created (the engine refused the request). */
    public void release(String tenant) {
        while (true) {
            Long held = counts.get(tenant);
            if (held == null || held <= 0 || counts.replace(tenant, held, held - 1)) {
                return;
            }
        }
    }

    /** Drops the tenant's count: its instances were removed with it. */
    public void forget(String tenant) {
        counts.delete(tenant);
    }

    /** The count the cluster holds now; -1 when it holds none. */
    public long held(String tenant) {
        Long held = counts.get(tenant);
        return held == null ? -1 : held;
    }
}
