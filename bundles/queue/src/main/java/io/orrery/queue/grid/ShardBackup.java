package io.orrery.queue.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * The backup side of a {@link ShardOperation}: the same operation, with the same time and inputs, applied to the
 * backup replica's copy of the shard. Shard operations are deterministic given those, so replicas stay equal
 * without shipping the shard.
 */
public final class ShardBackup implements EntryProcessor<String, Shard, byte[]>, DataSerializable,
        HazelcastInstanceAware {

    private ShardOperation operation;

    public ShardBackup() {
    }

    ShardBackup(ShardOperation operation) {
        this.operation = operation;
    }

    @Override
    public byte[] process(Map.Entry<String, Shard> entry) {
        operation.processBackup(entry);
        return null;
    }

    @Override
    public EntryProcessor<String, Shard, byte[]> getBackupProcessor() {
        return null;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance member) {
        if (operation != null) {
            operation.setHazelcastInstance(member);
        }
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeObject(operation);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        operation = in.readObject();
    }
}
