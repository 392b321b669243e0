package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;

/**
 * Claims up to {@code max} messages of one shard under a lease, after reaping what is due (so delays and lease
 * expiries hold even where no reaper ran yet).
 */
public final class ClaimOperation extends ShardOperation {

    private int max;
    private long leaseMicros;
    /** Makes this call's lease tokens differ from any other call's (see {@link Shard#claim}). */
    private int nonce;

    public ClaimOperation() {
    }

    public ClaimOperation(long now, ShardRules rules, int max, long leaseMicros) {
        super(now, rules);
        this.max = max;
        this.leaseMicros = leaseMicros;
        this.nonce = java.util.concurrent.ThreadLocalRandom.current().nextInt() | 1;
    }

    @Override
    protected ShardReply apply(Shard shard) {
        ShardReply r = new ShardReply();
        r.add(shard.reap(now, rules));
        r.slots = shard.claim(max, leaseMicros, now, nonce, rules);
        return r;
    }

    @Override
    protected void writeArgs(ObjectDataOutput out) throws IOException {
        out.writeInt(max);
        out.writeLong(leaseMicros);
        out.writeInt(nonce);
    }

    @Override
    protected void readArgs(ObjectDataInput in) throws IOException {
        max = in.readInt();
        leaseMicros = in.readLong();
        nonce = in.readInt();
    }
}
