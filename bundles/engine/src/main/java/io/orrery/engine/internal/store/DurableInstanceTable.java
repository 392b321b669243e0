package io.orrery.engine.internal.store;

import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.engine.internal.InstanceCodec;
import io.orrery.engine.internal.InstanceRecord;
import io.orrery.engine.internal.InstanceTable;
import io.orrery.engine.internal.hazelcast.HazelcastInstanceTable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hazelcast table with the store behind it: every successful save is journalled for write-behind
 * ({@link InstanceJournal}). Until the cluster's restore has finished ({@link InstanceRestore}) a miss waits for it
 * and looks again (and reads through to the store if no restore ran), so a request that arrives on another member
 * while the first one is still reading the store back finds the stored instance instead of starting a new one.
 * Once idle instances are evicted ({@link IdleEviction}), every miss reads through to the store too, and scans (a
 * deploy's re-evaluation) read the workflow's evicted instances back from the store's pages.
 */
public final class DurableInstanceTable implements InstanceTable {

    private static final Logger LOG = LoggerFactory.getLogger(DurableInstanceTable.class);

    private final HazelcastInstanceTable map;
    private final InstanceRows rows;
    private final InstanceJournal journal;
    private final IMap<String, String> meta;
    private volatile boolean restored;
    private static final String DELETED_TENANT = "deleted-tenant:";
    private static final int STORED_PAGE = 500;
    private final Set<String> deletedTenants = ConcurrentHashMap.newKeySet();
    /** Set once instances may have left the map for the store alone ({@link IdleEviction}): misses read through. */
    private volatile boolean readThrough;
    private volatile Counter loadedBack = Counter.builder("orrery.engine.instances.loaded.back")
            .register(new SimpleMeterRegistry());

    public DurableInstanceTable(HazelcastInstanceTable map, InstanceRows rows, InstanceJournal journal,
                                IMap<String, String> meta) {
        this.map = map;
        this.rows = rows;
        this.journal = journal;
        this.meta = meta;
        // Deleted tenants, announced through the meta map: every member's journal drops its unwritten saves of
        // their instances once the map no longer holds them, so none is written back after the delete.
        meta.addEntryListener((EntryAddedListener<String, String>) event -> noteDeleted(event.getKey()), false);
        meta.keySet().forEach(this::noteDeleted);
        journal.dropWhen(row -> deletedTenants.contains(row.tenant()) && !map.map().containsKey(row.id()));
    }

    private void noteDeleted(String metaKey) {
        if (metaKey.equals(IdleEviction.MARKER)) {
            readThrough = true;
        } else if (metaKey.startsWith(DELETED_TENANT)) {
            deletedTenants.add(metaKey.substring(DELETED_TENANT.length()));
        }
    }

    public HazelcastInstanceTable map() {
        return map;
    }

    /**
     * From now on a miss reads through to the store, because this node evicts idle instances (every node of the
     * cluster should be configured alike; members that are not learn it from the cluster's marker).
     */
    public void readMissesThrough(MeterRegistry meters) {
        this.loadedBack = Counter.builder("orrery.engine.instances.loaded.back")
                .description("evicted instances read back from the store on their next event or scan")
                .register(meters == null ? new SimpleMeterRegistry() : meters);
        this.readThrough = true;
    }

    public InstanceJournal journal() {
        return journal;
    }

    @Override
    public InstanceRecord load(InstanceId id) {
        InstanceRecord rec = map.load(id);
        if (rec != null) {
            return rec;
        }
        if (restored()) {
            return readThrough ? loadBack(id) : null;
        }
        // The first engine of the cluster is reading the store back under the lock: wait for it, then look again.
        meta.lock(InstanceRestore.MARKER);
        meta.unlock(InstanceRestore.MARKER);
        rec = map.load(id);
        if (rec != null || restored()) {
            return rec;
        }
        String key = HazelcastInstanceTable.key(id); // no restore ran (it failed): read through
        try {
            byte[] stored = rows.load(key);
            return stored == null ? null : map.decode(map.putIfAbsent(key, InstanceRestore.nextEpoch(stored)));
        } catch (SQLException e) {
            throw new IllegalStateException(id + ": cannot read the instance from the store: " + e, e);
        }
    }

    /** An evicted instance back into the map as the store holds it (it left the map only when the two agreed). */
    private InstanceRecord loadBack(InstanceId id) {
        String key = HazelcastInstanceTable.key(id);
        try {
            byte[] stored = rows.load(key);
            if (stored == null) {
                return null;
            }
            byte[] held = map.putIfAbsent(key, stored);
            if (held == stored) {
                loadedBack.increment();
            }
            return map.decode(held);
        } catch (SQLException e) {
            throw new IllegalStateException(id + ": cannot read the instance back from the store: " + e, e);
        }
    }

    private boolean restored() {
        if (!restored && meta.containsKey(InstanceRestore.MARKER)) {
            restored = true;
        }
        return restored;
    }

    /**
     * Removes the tenant's records from the map, from this member's unwritten saves and from the store. Saves other
     * members journalled before the map removal are dropped by their own journals, which the deletion is announced
     * to through the meta map ({@link InstanceJournal#dropWhen}); the store delete runs last.
     */
    @Override
    public long deleteTenant(String tenant) {
        deletedTenants.add(tenant);
        meta.put(DELETED_TENANT + tenant, Long.toString(System.currentTimeMillis()));
        long removed = map.deleteTenant(tenant);
        journal.forget(tenant);
        try {
            rows.deleteTenant(tenant);
        } catch (SQLException e) {
            throw new IllegalStateException("tenant " + tenant + ": cannot delete its instances from the store: " + e, e);
        }
        return removed;
    }

    @Override
    public boolean insert(InstanceRecord record) {
        if (!map.insert(record)) {
            return false;
        }
        journal(record);
        return true;
    }

    @Override
    public boolean replace(InstanceRecord record, long expectedRevision) {
        if (!map.replace(record, expectedRevision)) {
            return false;
        }
        journal(record);
        return true;
    }

    @Override
    public CompletableFuture<Void> whenDurable(InstanceRecord record) {
        return journal.whenWritten(HazelcastInstanceTable.key(record.id()), record.revision);
    }

    /** Writes the record (as the map holds it) with the next flush. */
    public void journal(InstanceRecord record) {
        byte[] bytes = record.loadedBytes();
        if (bytes == null) {
            LOG.warn("{}: no stored form to journal", record.id());
            return;
        }
        journal.record(row(record, bytes));
    }

    static InstanceRows.Row row(InstanceRecord r, byte[] bytes) {
        return new InstanceRows.Row(HazelcastInstanceTable.key(r.id()), r.tenant, r.workflow, r.status.name(),
                r.revision, r.updatedAt, bytes);
    }

    /**
     * A page from the store's index, with this member's saves not yet written laid over it (so a node lists what it
     * just saved); saves of other members appear once their journals commit them, within a flush interval.
     */
    @Override
    public List<InstanceRecord> page(String tenant, String workflow, InstanceStatus status, String after,
                                     int limit) {
        String prefix = tenant + "/" + workflow + "/";
        String wanted = status == null ? null : status.name();
        Map<String, InstanceRows.Row> unwritten = journal.unwrittenRows(prefix);
        List<InstanceRecord> page = new ArrayList<>();
        String from = prefix + (after == null ? "" : after);
        // A stored row whose unwritten save changed its status may drop out of a filtered page: read on until full.
        while (page.size() < limit) {
            List<InstanceRows.Row> stored = storedPage(tenant, workflow, wanted, from, limit - page.size());
            boolean more = stored.size() == limit - page.size();
            String upTo = more ? stored.get(stored.size() - 1).id() : null;
            TreeMap<String, InstanceRows.Row> merged = new TreeMap<>();
            stored.forEach(r -> merged.put(r.id(), r));
            for (InstanceRows.Row row : unwritten.values()) {
                // Newer than any stored row: the journal holds only what is not written yet.
                if (row.id().compareTo(from) > 0 && (upTo == null || row.id().compareTo(upTo) <= 0)) {
                    merged.put(row.id(), row);
                }
            }
            for (InstanceRows.Row r : merged.values()) {
                if (page.size() < limit && (wanted == null || wanted.equals(r.status()))) {
                    page.add(InstanceCodec.decode(r.body()));
                }
            }
            if (!more) {
                break;
            }
            from = upTo;
        }
        return page;
    }

    private List<InstanceRows.Row> storedPage(String tenant, String workflow, String status, String afterId,
                                              int limit) {
        try {
            return rows.page(tenant, workflow, status, afterId, limit);
        } catch (SQLException e) {
            throw new IllegalStateException(tenant + "/" + workflow + ": cannot read a page of instances from the "
                    + "store: " + e, e);
        }
    }

    @Override
    public void scan(String tenant, String workflow, int batchSize, Consumer<List<InstanceRecord>> batches) {
        map.scan(tenant, workflow, batchSize, batches);
        if (readThrough) {
            scanEvicted(tenant, workflow, batchSize, false, encoded -> {
                List<InstanceRecord> records = new ArrayList<>(encoded.size());
                encoded.forEach(b -> records.add(map.decode(b)));
                batches.accept(records);
            });
        }
    }

    @Override
    public void scanEncoded(String tenant, String workflow, int batchSize, Consumer<List<byte[]>> batches) {
        map.scanEncoded(tenant, workflow, batchSize, batches);
        if (readThrough) {
            scanEvicted(tenant, workflow, batchSize, true, batches);
        }
    }

    /**
     * The workflow's evicted instances, from the store's pages (those the map holds were scanned already). A scan
     * for re-evaluation ({@link #scanEncoded}) reads them back into the map, to save them; they leave again at a
     * later sweep. A read-only scan (a dry run, a listing: {@link #scan}) leaves them in the store.
     */
    private void scanEvicted(String tenant, String workflow, int batchSize, boolean readBack,
                             Consumer<List<byte[]>> batches) {
        String after = tenant + "/" + workflow + "/";
        List<byte[]> batch = new ArrayList<>(batchSize);
        List<InstanceRows.Row> page;
        do {
            page = storedPage(tenant, workflow, null, after, STORED_PAGE);
            for (InstanceRows.Row row : page) {
                if (!readBack) {
                    if (!map.map().containsKey(row.id())) {
                        batch.add(row.body());
                    }
                } else if (map.putIfAbsent(row.id(), row.body()) == row.body()) {
                    loadedBack.increment();
                    batch.add(row.body());
                }
                if (batch.size() == batchSize) {
                    batches.accept(batch);
                    batch = new ArrayList<>(batchSize);
                }
            }
            after = page.isEmpty() ? after : page.get(page.size() - 1).id();
        } while (page.size() == STORED_PAGE);
        if (!batch.isEmpty()) {
            batches.accept(batch);
        }
    }
}
