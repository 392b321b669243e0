package io.orrery.gateway.internal.http;

import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.grid.hazelcast.Bucket4jHazelcast;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets shared by every node of the cluster (Bucket4j on the Hazelcast map {@value #MAP}): a limit of N
 * per second admits about N across all gateways, not N per gateway. Buckets are plain bytes updated by
 * compare-and-set, so members need none of Bucket4j's classes to hold them; they are timed on the cluster's clock
 * (a member whose own clock runs ahead does not refill them early).
 *
 * <p>Keys are free-form, so other limits (failed authentications per address, say) can take buckets here too.
 */
public final class ClusterBuckets {

    public static final String MAP = "orrery.gateway.buckets";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBuckets.class);
    /**
     * A bucket idle this long is dropped: it has refilled to full unless its burst takes over an hour to refill,
     * and a dropped bucket comes back full. (Bucket4j's own expiry needs its entry processors on every member.)
     */
    private static final int IDLE_SECONDS = 3600;

    private final ProxyManager<String> buckets;

    public ClusterBuckets(IMap<String, byte[]> map, Clock clusterClock) {
        this.buckets = Bucket4jHazelcast.casBasedBuilder(map).clientClock(new ClockMeter(clusterClock)).build();
    }

    /** The buckets in the member's map {@value #MAP}, whose idle entries Hazelcast removes. */
    public static ClusterBuckets on(HazelcastInstance hz, Clock clusterClock) {
        try {
            hz.getConfig().addMapConfig(new MapConfig(MAP).setMaxIdleSeconds(IDLE_SECONDS));
        } catch (InvalidConfigurationException e) {
            LOG.warn("{}: the map is configured otherwise; idle buckets may stay: {}", MAP, e.getMessage());
        }
        return new ClusterBuckets(hz.getMap(MAP), clusterClock);
    }

    /**
     * Takes one token from the bucket {@code key}, which holds up to {@code burst} and refills at {@code perSecond}.
     * Limits are part of the bucket's identity: give a changed limit a new key.
     *
     * @return 0 when a token was taken, otherwise the nanoseconds until one will be there
     */
    public long take(String key, double perSecond, long burst) {
        ConsumptionProbe probe = buckets.builder().build(key, () -> configuration(perSecond, burst))
                .tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    /**
     * How long until the bucket {@code key} will hold a token, without taking one: 0 when it holds one now. For
     * limits that are spent by one event (a failed login) and checked on another (every login attempt).
     */
    public long waitFor(String key, double perSecond, long burst) {
        return Math.max(0, buckets.builder().build(key, () -> configuration(perSecond, burst))
                .estimateAbilityToConsume(1).getNanosToWaitForRefill());
    }

    /** A fractional rate (0.5 per second) becomes whole tokens over a longer period (1 per 2 s). */
    static BucketConfiguration configuration(double perSecond, long burst) {
        long tokens = Math.max(1, Math.round(perSecond));
        long periodNanos = Math.max(1, Math.round(tokens / perSecond * 1e9));
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(tokens, Duration.ofNanos(periodNanos)))
                .build();
    }

    /** Bucket4j's time source over a {@link Clock} (the cluster's). */
    private record ClockMeter(Clock clock) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            return clock.millis() * 1_000_000L;
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
