package io.orrery.engine.internal;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where instance records live: a Hazelcast map in a cluster ({@code HazelcastInstanceTable}), a plain map in
 * tests and the test kit ({@link MemoryInstanceTable}). Saves are compare-and-set on the record's revision, so
 * two members never overwrite each other's update of one instance.
 */
public interface InstanceTable {

    /** A fresh copy of the record, or null. */
    InstanceRecord load(InstanceId id);

    /** Stores a new record (revision 1); false if one exists already. */
    boolean insert(InstanceRecord record);

    /** Stores the record if the stored revision is still {@code expectedRevision}; false otherwise. */
    boolean replace(InstanceRecord record, long expectedRevision);

    /** Hands every record of a workflow to {@code batches}, a batch at a time. */
    void scan(String tenant, String workflow, int batchSize, Consumer<List<InstanceRecord>> batches);

    /**
     * Like {@link #scan}, but hands out the stored bytes undecoded, so that the consumer can decode them on other
     * threads ({@link #decode}); may call {@code batches} from several threads at once.
     */
    default void scanEncoded(String tenant, String workflow, int batchSize, Consumer<List<byte[]>> batches) {
        scan(tenant, workflow, batchSize, records -> {
            List<byte[]> encoded = new ArrayList<>(records.size());
            records.forEach(r -> encoded.add(InstanceCodec.encode(r)));
            batches.accept(encoded);
        });
    }

    /**
     * One page of a workflow's instances, ordered by key: the first {@code limit} whose key comes after
     * {@code after} (null: from the first), of the given status (null: any). This default scans every record of
     * the workflow; a table with an ordered index answers from the index.
     */
    default List<InstanceRecord> page(String tenant, String workflow, InstanceStatus status, String after,
                                      int limit) {
        List<InstanceRecord> found = new ArrayList<>();
        scan(tenant, workflow, 1000, batch -> {
            for (InstanceRecord r : batch) {
                if ((status == null || r.status == status) && (after == null || r.key.compareTo(after) > 0)) {
                    synchronized (found) {
                        found.add(r);
                    }
                }
            }
        });
        found.sort(Comparator.comparing(r -> r.key));
        return found.size() > limit ? new ArrayList<>(found.subList(0, Math.max(0, limit))) : found;
    }

    /**
     * Removes every instance of the tenant (a deleted tenant's; nothing of it may reach a tenant created later
     * under the same name); answers how many there were.
     */
    default long deleteTenant(String tenant) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot delete a tenant's instances");
    }

    /**
     * Completes once this save of the record survives a crash of every member: at once for a table without a store
     * behind it, after the journal's commit for one with ({@code DurableInstanceTable}).
     */
    default CompletableFuture<Void> whenDurable(InstanceRecord record) {
        return CompletableFuture.completedFuture(null);
    }

    /** A record from bytes {@link #scanEncoded} handed out, ready to be saved with {@link #replace}. */
    default InstanceRecord decode(byte[] stored) {
        InstanceRecord rec = InstanceCodec.decode(stored);
        rec.loadedBytes(stored);
        return rec;
    }
}
