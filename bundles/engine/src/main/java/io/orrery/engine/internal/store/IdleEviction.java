package io.orrery.engine.internal.store;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.proxy.MapProxyImpl;
import com.hazelcast.partition.Partition;
import com.hazelcast.projection.Projections;
import com.hazelcast.query.Predicates;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.engine.internal.InstanceCodec;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes idle instances out of memory, leaving the store's copy: an instance this member owns, untouched for
 * {@code idleAfter}, leaves the map once the store holds exactly the bytes the map holds. Equal bytes mean nothing
 * unwritten is dropped (whichever member's journal saved it), and a record that a restore put in a new epoch is not
 * traded for its older stored form. The removal is a compare-and-remove, so a save between the check and the removal
 * keeps the instance. The next event finds it again: {@link DurableInstanceTable} reads a miss through to the store.
 *
 * <p>Before its first removal the sweep marks the cluster ({@value #MARKER} in the engine's meta map), so that
 * every member reads its misses through from then on, whether or not it evicts itself.
 */
public final class IdleEviction implements AutoCloseable {

    public static final String MARKER = "evicted";
    private static final Logger LOG = LoggerFactory.getLogger(IdleEviction.class);
    private static final int FETCH = 512;
    /** Candidates compared with the store in one query. */
    private static final int CHUNK = 200;

    private final HazelcastInstance hz;
    private final IMap<String, byte[]> map;
    private final IMap<String, String> meta;
    private final InstanceRows rows;
    private final Duration idleAfter;
    private final Clock clock;
    private final Counter evicted;
    private final ScheduledExecutorService timer;
    private volatile boolean marked;

    /**
     * @param every how often this member sweeps its partitions
     */
    public IdleEviction(HazelcastInstance hz, IMap<String, byte[]> map, InstanceRows rows, Duration idleAfter,
                        Duration every, Clock clock, MeterRegistry meters) {
        this.hz = hz;
        this.map = map;
        this.meta = hz.getMap(InstanceRestore.META);
        this.rows = rows;
        this.idleAfter = idleAfter;
        this.clock = clock;
        this.evicted = Counter.builder("orrery.engine.instances.evicted")
                .description("idle instances taken out of memory, their stored copy kept")
                .register(meters == null ? new SimpleMeterRegistry() : meters);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "orrery-engine-eviction-" + hz.getName());
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, every.toMillis());
        timer.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    private void sweepQuietly() {
        try {
            long started = System.nanoTime();
            long n = sweep();
            if (n > 0) {
                LOG.info("engine: evicted {} instance(s) idle for {} or more in {} ms", n, idleAfter,
                        (System.nanoTime() - started) / 1_000_000);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("engine: idle eviction failed, trying again at the next sweep: {}", e.toString());
        }
    }

    /** Sweeps this member's partitions once; answers how many instances left memory. */
    public long sweep() throws SQLException {
        if (!(map instanceof MapProxyImpl<String, byte[]> proxy)) {
            return 0; // a client's proxy: the members that hold the data sweep
        }
        long cutoff = clock.millis() - idleAfter.toMillis();
        Member self = hz.getCluster().getLocalMember();
        long n = 0;
        for (Partition partition : hz.getPartitionService().getPartitions()) {
            if (self.equals(partition.getOwner())) {
                n += sweep(proxy, partition.getPartitionId(), cutoff);
            }
        }
        return n;
    }

    private long sweep(MapProxyImpl<String, byte[]> proxy, int partition, long cutoff) throws SQLException {
        Iterator<Map.Entry<String, byte[]>> entries = proxy.iterator(FETCH, partition, Projections.identity(),
                Predicates.alwaysTrue());
        Map<String, byte[]> idle = new LinkedHashMap<>();
        long n = 0;
        while (entries.hasNext()) {
            Map.Entry<String, byte[]> e = entries.next();
            if (InstanceCodec.decode(e.getValue()).updatedAt <= cutoff) {
                idle.put(e.getKey(), e.getValue());
            }
            if (idle.size() == CHUNK) {
                n += evict(idle);
                idle.clear();
            }
        }
        return n + evict(idle);
    }

    /** Removes those of {@code idle} whose stored bytes are the map's. */
    private long evict(Map<String, byte[]> idle) throws SQLException {
        if (idle.isEmpty()) {
            return 0;
        }
        Map<String, byte[]> stored = rows.bodies(idle.keySet());
        long n = 0;
        for (Map.Entry<String, byte[]> e : idle.entrySet()) {
            if (Arrays.equals(stored.get(e.getKey()), e.getValue())) {
                markCluster();
                if (map.remove(e.getKey(), e.getValue())) {
                    n++;
                }
            }
        }
        evicted.increment(n);
        return n;
    }

    private void markCluster() {
        if (!marked) {
            meta.putIfAbsent(MARKER, hz.getCluster().getLocalMember().getUuid() + " " + clock.instant());
            marked = true;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
