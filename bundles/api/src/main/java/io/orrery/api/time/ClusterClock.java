package io.orrery.api.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A {@link Clock} over the cluster's time (for Hazelcast, {@code hazelcast.getCluster()::getClusterTime}), so that
 * leases, deadlines and timestamps written by one member mean the same on another whose own clock runs ahead or
 * behind. The api bundle knows nothing of Hazelcast: the caller hands in the time source.
 */
public final class ClusterClock extends Clock {

    private final LongSupplier epochMillis;
    private final ZoneId zone;

    public ClusterClock(LongSupplier epochMillis) {
        this(epochMillis, ZoneOffset.UTC);
    }

    private ClusterClock(LongSupplier epochMillis, ZoneId zone) {
        this.epochMillis = Objects.requireNonNull(epochMillis, "epochMillis");
        this.zone = zone;
    }

    @Override
    public long millis() {
        return epochMillis.getAsLong();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new ClusterClock(epochMillis, zone);
    }
}
