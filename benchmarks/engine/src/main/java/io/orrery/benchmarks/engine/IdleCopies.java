package io.orrery.benchmarks.engine;

import io.orrery.engine.internal.InstanceCodec;
import io.orrery.engine.internal.InstanceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Copies of one completed instance under a tenant of their own and keys {@code <prefix>-0000000…}, a batch at a time. */
final class IdleCopies {

    private IdleCopies() {
    }

    static void load(InstanceRecord template, String tenant, String keyPrefix, int count, int batchSize,
                     Consumer<List<InstanceRecord>> batches) {
        byte[] encoded = InstanceCodec.encode(template);
        List<InstanceRecord> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < count; i++) {
            InstanceRecord r = InstanceCodec.decode(encoded);
            r.tenant = tenant;
            r.key = String.format("%s-%07d", keyPrefix, i);
            batch.add(r);
            if (batch.size() == batchSize || i == count - 1) {
                batches.accept(batch);
                batch = new ArrayList<>(batchSize);
            }
        }
    }
}
