package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.util.List;

/** Enqueues messages into one shard; flags say which were new (the others' ids were already known). */
public final class EnqueueOperation extends ShardOperation {

    private List<Slot> messages;

    public EnqueueOperation() {
    }

    public EnqueueOperation(long now, ShardRules rules, List<Slot> messages) {
        super(now, rules);
        this.messages = messages;
    }

    @Override
    protected boolean createsShard() {
        return true;
    }

    @Override
    protected ShardReply apply(Shard shard) {
        ShardReply r = new ShardReply();
        r.flags = new boolean[messages.size()];
        for (int i = 0; i < r.flags.length; i++) {
            r.flags[i] = shard.enqueue(messages.get(i), now, rules);
        }
        return r;
    }

    @Override
    protected void writeArgs(ObjectDataOutput out) throws IOException {
        Slot.writeList(out, messages);
    }

    @Override
    protected void readArgs(ObjectDataInput in) throws IOException {
        messages = Slot.readList(in);
    }
}
