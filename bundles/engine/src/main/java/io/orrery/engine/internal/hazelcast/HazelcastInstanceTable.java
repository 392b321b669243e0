package io.orrery.engine.internal.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.proxy.MapProxyImpl;
import com.hazelcast.projection.Projections;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import io.orrery.api.engine.InstanceId;
import io.orrery.engine.internal.InstanceCodec;
import io.orrery.engine.internal.InstanceRecord;
import io.orrery.engine.internal.InstanceTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Instance records in the Hazelcast map {@value #MAP} as JSON bytes: members never need a tenant's (or the
 * engine's) classes to hold, back up or migrate them. A save is {@code replace(key, loadedBytes, newBytes)},
 * which Hazelcast compares in serialized form: a compare-and-set across the cluster.
 *
 * <p>Scans go partition by partition (one paged iteration per partition, filtered by key prefix on the partition
 * thread), several partitions at once, instead of a key query followed by {@code getAll}s that each touch every
 * partition.
 */
public final class HazelcastInstanceTable implements InstanceTable {

    public static final String MAP = "orrery.engine.instances";
    private static final int FETCH = 512;

    private final HazelcastInstance hz;
    private final IMap<String, byte[]> map;
    private final Executor scanners;

    public HazelcastInstanceTable(HazelcastInstance hz) {
        this(hz, PartitionScanners.SHARED);
    }

    /** @param scanners where partitions are fetched in parallel during a scan */
    public HazelcastInstanceTable(HazelcastInstance hz, Executor scanners) {
        this.hz = hz;
        this.map = hz.getMap(MAP);
        this.scanners = scanners;
    }

    public static String key(InstanceId id) {
        return id.tenant() + "/" + id.workflow() + "/" + id.key();
    }

    public IMap<String, byte[]> map() {
        return map;
    }

    @Override
    public InstanceRecord load(InstanceId id) {
        byte[] bytes = map.get(key(id));
        return bytes == null ? null : decode(bytes);
    }

    @Override
    public boolean insert(InstanceRecord record) {
        record.revision = 1;
        byte[] bytes = InstanceCodec.encode(record);
        if (map.putIfAbsent(key(record.id()), bytes) != null) {
            return false;
        }
        record.loadedBytes(bytes);
        return true;
    }

    @Override
    public boolean replace(InstanceRecord record, long expectedRevision) {
        byte[] old = record.loadedBytes();
        record.revision = expectedRevision + 1;
        byte[] bytes = InstanceCodec.encode(record);
        if (old != null && map.replace(key(record.id()), old, bytes)) {
            record.loadedBytes(bytes);
            return true;
        }
        record.revision = expectedRevision;
        return false;
    }

    /** Stores the bytes unless the key holds a record already; answers what the map holds afterwards. */
    public byte[] putIfAbsent(String key, byte[] bytes) {
        byte[] existing = map.putIfAbsent(key, bytes);
        return existing != null ? existing : bytes;
    }

    /** Removes the tenant's records from the map, on every member (keys start with {@code tenant/}). */
    @Override
    public long deleteTenant(String tenant) {
        Predicate<String, byte[]> ofTenant = Predicates.sql("__key like '" + tenant.replace("'", "''")
                .replace("%", "\\%").replace("_", "\\_") + "/%'");
        long count = map.keySet(ofTenant).size();
        map.removeAll(ofTenant);
        return count;
    }

    @Override
    public void scan(String tenant, String workflow, int batchSize, Consumer<List<InstanceRecord>> batches) {
        scanEncoded(tenant, workflow, batchSize, encoded -> {
            List<InstanceRecord> batch = new ArrayList<>(encoded.size());
            encoded.forEach(b -> batch.add(decode(b)));
            synchronized (batches) {
                batches.accept(batch);
            }
        });
    }

    @Override
    public void scanEncoded(String tenant, String workflow, int batchSize, Consumer<List<byte[]>> batches) {
        String prefix = tenant + "/" + workflow + "/";
        Predicate<String, byte[]> ofWorkflow = Predicates.sql("__key like '" + prefix.replace("'", "''")
                .replace("%", "\\%").replace("_", "\\_") + "%'");
        if (!(map instanceof MapProxyImpl<String, byte[]> proxy)) {
            scanByKeys(ofWorkflow, batchSize, batches);
            return;
        }
        int partitions = hz.getPartitionService().getPartitions().size();
        List<CompletableFuture<Void>> running = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            running.add(CompletableFuture.runAsync(() -> scanPartition(proxy, partition, ofWorkflow, batchSize,
                    batches), scanners));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    }

    private static void scanPartition(MapProxyImpl<String, byte[]> proxy, int partition,
                                      Predicate<String, byte[]> filter, int batchSize, Consumer<List<byte[]>> out) {
        // Hazelcast's own projection and predicate: the partition's owner may be another member, which must be
        // able to deserialize both without the engine's classes.
        Iterator<Map.Entry<String, byte[]>> entries = proxy.iterator(FETCH, partition, Projections.identity(), filter);
        List<byte[]> batch = new ArrayList<>(batchSize);
        while (entries.hasNext()) {
            batch.add(entries.next().getValue());
            if (batch.size() == batchSize) {
                out.accept(batch);
                batch = new ArrayList<>(batchSize);
            }
        }
        if (!batch.isEmpty()) {
            out.accept(batch);
        }
    }

    /** A client-side map: a key query, then values a slice at a time. */
    private void scanByKeys(Predicate<String, byte[]> filter, int batchSize, Consumer<List<byte[]>> batches) {
        List<String> keys = new ArrayList<>(map.keySet(filter));
        for (int i = 0; i < keys.size(); i += batchSize) {
            Set<String> slice = new HashSet<>(keys.subList(i, Math.min(keys.size(), i + batchSize)));
            batches.accept(new ArrayList<>(map.getAll(slice).values()));
        }
    }

    /** The keys of every record held by this member's partitions (recovery after a member's loss). */
    public Set<String> localKeys() {
        return map.localKeySet();
    }

    /** The stored bytes of these keys. */
    public Map<String, byte[]> getAll(Set<String> keys) {
        return map.getAll(keys);
    }

    /** Stores records as they are (bulk loading for benchmarks and restores). */
    public void putAll(List<InstanceRecord> records) {
        Map<String, byte[]> values = new HashMap<>();
        records.forEach(r -> values.put(key(r.id()), InstanceCodec.encode(r)));
        map.putAll(values);
    }

    public int size() {
        return map.size();
    }
}
