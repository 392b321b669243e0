package io.orrery.queue.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.orrery.api.fault.CrashPoints;
import io.orrery.queue.internal.QueueCrashPoints;
import java.io.IOException;
import java.util.Map;

/**
 * Base of the entry processors that operate on a {@link Shard}. The caller fixes the time ({@code now}, epoch
 * micros) and the queue's rules, so the primary and its backups, which re-run the same operation on their own copy,
 * reach the same state (see {@link ShardBackup}). Subclasses must not keep their inputs inside the shard (copy
 * them), because the backup is serialized from the same object after the primary ran.
 */
public abstract class ShardOperation
        implements EntryProcessor<String, Shard, byte[]>, DataSerializable, HazelcastInstanceAware {

    protected long now;
    protected ShardRules rules;
    /** The shard's key, set by the caller (cheaper than deserializing the entry's key on the partition thread). */
    private String key;
    private transient HazelcastInstance member;
    /** Set on the primary when the operation changed nothing: then there is nothing for backups to replay. */
    private transient boolean changedNothing;

    protected ShardOperation() {
    }

    protected ShardOperation(long now, ShardRules rules) {
        this.now = now;
        this.rules = rules;
    }

    /** Names the shard this operation is for (must be the key it is submitted to). */
    public ShardOperation on(String shardKey) {
        this.key = shardKey;
        return this;
    }

    /** Applies the operation to the shard and answers (the base fills in the view). */
    protected abstract ShardReply apply(Shard shard);

    /**
     * Whether the owning member is told of the shard after this operation whatever changed: the journal writer's
     * bookkeeping (no new version) and the reaper's visits (which keep its schedule exact).
     */
    protected boolean alwaysTells() {
        return false;
    }

    /** Whether the operation creates the shard when it does not exist yet (enqueue, restore). */
    protected boolean createsShard() {
        return false;
    }

    /** Runs on the partition thread of the shard's owner; the reply as the bytes of {@link ShardReply#toBytes()}. */
    @Override
    public final byte[] process(Map.Entry<String, Shard> entry) {
        return run(entry).toBytes();
    }

    private ShardReply run(Map.Entry<String, Shard> entry) {
        Shard shard = entry.getValue();
        boolean created = shard == null;
        if (created) {
            if (!createsShard()) {
                return ShardReply.absent();
            }
            shard = Shard.create(now);
        }
        long versionBefore = shard.version();
        long mutationsBefore = shard.mutations();
        // The head before, to tell whether this operation made it more urgent: a message that now heads a shard
        // which was claimable already (enqueued, retried or its lease expired) changes which shard claimers elsewhere
        // should go to first as much as a shard turning claimable does. A head that did not improve is no news.
        ShardView before = shard.readyCount() > 0 ? shard.view() : null;
        ShardReply reply = apply(shard);
        changedNothing = !created && shard.mutations() == mutationsBefore;
        if (created) {
            entry.setValue(shard);
        }
        if (!changedNothing) {
            CrashPoints.reach(QueueCrashPoints.SHARD_APPLIED, memberName());
        }
        // Otherwise the map holds this very object (in-memory format OBJECT) and it changed in place: no setValue,
        // which would only make Hazelcast redo its record bookkeeping. Backups do not depend on it: Hazelcast
        // sends the backup processor after every operation that has one.
        boolean changed = created || alwaysTells() || shard.version() != versionBefore;
        if (changed && shard.worthTelling(alwaysTells())) {
            tell(key != null ? key : entry.getKey(), shard);
        }
        reply.view = shard.view();
        reply.headImproved |= reply.view.ready > 0 && (before == null || reply.view.compareHeads(before) < 0);
        return reply;
    }

    /** Re-runs this operation on a backup replica, discarding the reply. */
    final void processBackup(Map.Entry<String, Shard> entry) {
        CrashPoints.reach(QueueCrashPoints.BACKUP_APPLY, memberName());
        Shard shard = entry.getValue();
        boolean created = shard == null;
        if (created) {
            if (!createsShard()) {
                return;
            }
            shard = Shard.create(now);
        }
        apply(shard);
        if (created) {
            entry.setValue(shard);
        }
    }

    /**
     * The backup: this operation replayed on the backup's copy. Hazelcast asks for it after the primary ran, so an
     * operation that changed nothing (an empty claim, an idle reaper visit) sends no backup at all.
     */
    @Override
    public EntryProcessor<String, Shard, byte[]> getBackupProcessor() {
        return changedNothing ? null : new ShardBackup(this);
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.member = hazelcastInstance;
    }

    /** The name of the member this runs on (the scope of its crash points), or null outside a member. */
    String memberName() {
        return member == null ? null : member.getName();
    }

    private void tell(String key, Shard shard) {
        if (member == null) {
            return;
        }
        Object listener = member.getUserContext().get(MemberShards.CONTEXT_KEY);
        if (listener instanceof MemberShards m) {
            m.changed(key, shard.view().nextDue(), shard.oldestUnwritten());
        }
    }

    @Override
    public final void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(now);
        out.writeString(key);
        rules.writeData(out);
        writeArgs(out);
    }

    @Override
    public final void readData(ObjectDataInput in) throws IOException {
        now = in.readLong();
        key = in.readString();
        rules = new ShardRules();
        rules.readData(in);
        readArgs(in);
    }

    protected abstract void writeArgs(ObjectDataOutput out) throws IOException;

    protected abstract void readArgs(ObjectDataInput in) throws IOException;
}
