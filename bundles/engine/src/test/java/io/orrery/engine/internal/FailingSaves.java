package io.orrery.engine.internal;

import io.orrery.api.engine.InstanceId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A table whose next saves throw, as a save does when the member holding the record goes mid-call. */
public final class FailingSaves implements InstanceTable {

    private final InstanceTable target;
    private final AtomicInteger failures;
    private final InstanceId only;

    public FailingSaves(InstanceTable target, int failures) {
        this(target, failures, null);
    }

    /** @param only the instance whose saves fail; null for any */
    public FailingSaves(InstanceTable target, int failures, InstanceId only) {
        this.target = target;
        this.failures = new AtomicInteger(failures);
        this.only = only;
    }

    /** The next {@code n} saves throw. */
    public void failNext(int n) {
        failures.set(n);
    }

    @Override
    public InstanceRecord load(InstanceId id) {
        return target.load(id);
    }

    @Override
    public boolean insert(InstanceRecord record) {
        return target.insert(record);
    }

    @Override
    public boolean replace(InstanceRecord record, long expectedRevision) {
        if ((only == null || only.equals(record.id())) && failures.getAndDecrement() > 0) {
            throw new IllegalStateException("member gone mid-save");
        }
        return target.replace(record, expectedRevision);
    }

    @Override
    public void scan(String tenant, String workflow, int batchSize, Consumer<List<InstanceRecord>> batches) {
        target.scan(tenant, workflow, batchSize, batches);
    }

    @Override
    public void scanEncoded(String tenant, String workflow, int batchSize, Consumer<List<byte[]>> batches) {
        target.scanEncoded(tenant, workflow, batchSize, batches);
    }

    @Override
    public InstanceRecord decode(byte[] stored) {
        return target.decode(stored);
    }
}
