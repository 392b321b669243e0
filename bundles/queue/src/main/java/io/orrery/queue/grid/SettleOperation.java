package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.orrery.api.queue.MessageState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Settles deliveries of one shard in one call (a consumer acks its whole batch at once). Flags say which tokens
 * were still valid; for an extension the reply's slots hold the extended message (null when refused).
 */
public final class SettleOperation extends ShardOperation {

    private List<Settlement> settlements;

    public SettleOperation() {
    }

    public SettleOperation(long now, ShardRules rules, List<Settlement> settlements) {
        super(now, rules);
        this.settlements = settlements;
    }

    @Override
    protected ShardReply apply(Shard shard) {
        ShardReply r = new ShardReply();
        r.flags = new boolean[settlements.size()];
        for (int i = 0; i < r.flags.length; i++) {
            Settlement s = settlements.get(i);
            switch (s.kind()) {
                case ACK -> r.flags[i] = shard.ack(s.id(), s.token(), now, rules);
                case NACK -> {
                    MessageState after = shard.nack(s.id(), s.token(), s.micros(), s.reason(), now, rules);
                    r.flags[i] = after != null;
                    r.died += after == MessageState.DEAD ? 1 : 0;
                }
                case REJECT -> {
                    r.flags[i] = shard.reject(s.id(), s.token(), s.reason(), now, rules);
                    r.died += r.flags[i] ? 1 : 0;
                }
                case EXTEND -> {
                    Slot extended = shard.extend(s.id(), s.token(), s.micros(), now, rules);
                    r.flags[i] = extended != null;
                    if (r.slots == null) {
                        r.slots = new ArrayList<>();
                    }
                    r.slots.add(extended);
                }
            }
        }
        return r;
    }

    @Override
    protected void writeArgs(ObjectDataOutput out) throws IOException {
        out.writeInt(settlements.size());
        for (Settlement s : settlements) {
            s.write(out);
        }
    }

    @Override
    protected void readArgs(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        settlements = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            settlements.add(Settlement.read(in));
        }
    }
}
