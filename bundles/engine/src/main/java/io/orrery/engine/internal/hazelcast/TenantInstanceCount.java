package io.orrery.engine.internal.hazelcast;

import com.hazelcast.aggregation.Aggregators;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;

/**
 * Counts a tenant's instances where the records are: an aggregation that each member runs over its own partitions
 * of the instance map, with Hazelcast's own predicate on the key prefix, so no member needs the engine's classes.
 * Derived from the records themselves, the count cannot drift after a crash the way a separately kept counter
 * could (an insert whose increment was lost, a restore from the store).
 */
public final class TenantInstanceCount {

    private final IMap<String, byte[]> map;

    public TenantInstanceCount(IMap<String, byte[]> map) {
        this.map = map;
    }

    public long count(String tenant) {
        return map.aggregate(Aggregators.count(), ofTenant(tenant));
    }

    static Predicate<String, byte[]> ofTenant(String tenant) {
        String prefix = tenant + "/";
        return Predicates.like("__key", prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
    }
}
