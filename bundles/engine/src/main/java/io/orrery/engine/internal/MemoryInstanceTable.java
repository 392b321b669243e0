package io.orrery.engine.internal;

import io.orrery.api.engine.InstanceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Instance records as JSON in a local map: same copy semantics as the Hazelcast table, for tests and the test kit. */
public final class MemoryInstanceTable implements InstanceTable {

    private final Map<String, Map<String, Stored>> byWorkflow = new ConcurrentHashMap<>();

    private record Stored(long revision, byte[] json) {
    }

    private Map<String, Stored> of(String tenant, String workflow) {
        return byWorkflow.computeIfAbsent(tenant + "/" + workflow, k -> new ConcurrentHashMap<>());
    }

    @Override
    public InstanceRecord load(InstanceId id) {
        Stored s = of(id.tenant(), id.workflow()).get(id.key());
        return s == null ? null : InstanceCodec.decode(s.json());
    }

    @Override
    public boolean insert(InstanceRecord record) {
        record.revision = 1;
        return of(record.tenant, record.workflow).putIfAbsent(record.key,
                new Stored(1, InstanceCodec.encode(record))) == null;
    }

    @Override
    public boolean replace(InstanceRecord record, long expectedRevision) {
        boolean[] done = {false};
        of(record.tenant, record.workflow).computeIfPresent(record.key, (k, cur) -> {
            if (cur.revision() != expectedRevision) {
                return cur;
            }
            record.revision = expectedRevision + 1;
            done[0] = true;
            return new Stored(record.revision, InstanceCodec.encode(record));
        });
        if (!done[0]) {
            record.revision = expectedRevision;
        }
        return done[0];
    }

    @Override
    public void scan(String tenant, String workflow, int batchSize, Consumer<List<InstanceRecord>> batches) {
        List<InstanceRecord> batch = new ArrayList<>(batchSize);
        for (Stored s : of(tenant, workflow).values()) {
            batch.add(InstanceCodec.decode(s.json()));
            if (batch.size() == batchSize) {
                batches.accept(batch);
                batch = new ArrayList<>(batchSize);
            }
        }
        if (!batch.isEmpty()) {
            batches.accept(batch);
        }
    }

    @Override
    public void scanEncoded(String tenant, String workflow, int batchSize, Consumer<List<byte[]>> batches) {
        List<byte[]> batch = new ArrayList<>(batchSize);
        for (Stored s : of(tenant, workflow).values()) {
            batch.add(s.json());
            if (batch.size() == batchSize) {
                batches.accept(batch);
                batch = new ArrayList<>(batchSize);
            }
        }
        if (!batch.isEmpty()) {
            batches.accept(batch);
        }
    }

    public int size() {
        return byWorkflow.values().stream().mapToInt(Map::size).sum();
    }

    @Override
    public long deleteTenant(String tenant) {
        long removed = 0;
        for (var it = byWorkflow.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (entry.getKey().startsWith(tenant + "/")) {
                removed += entry.getValue().size();
                it.remove();
            }
        }
        return removed;
    }
}
