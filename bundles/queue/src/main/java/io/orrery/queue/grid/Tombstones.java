package io.orrery.queue.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.orrery.api.queue.MessageState;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finished message ids, remembered for a retention time and up to a bound, oldest first: they make enqueue
 * idempotent (a finished id is refused) and let an ack be retried (same token, same answer).
 */
final class Tombstones {

    private final LinkedHashMap<String, Tombstone> byId = new LinkedHashMap<>();

    boolean contains(String id) {
        return byId.containsKey(id);
    }

    Tombstone get(String id) {
        return byId.get(id);
    }

    int size() {
        return byId.size();
    }

    Tombstone remember(String id, String exclusiveKey, MessageState state, long at, String token, long version,
                       ShardIndex counts) {
        Tombstone t = new Tombstone();
        t.exclusiveKey = exclusiveKey;
        t.state = state;
        t.at = at;
        t.token = token;
        t.version = version;
        byId.put(id, t);
        counts.counted(state, 1);
        return t;
    }

    /** Forgets the oldest past retention or beyond the bound; how many were forgotten. */
    int forget(long now, ShardRules rules, ShardIndex counts) {
        int forgotten = 0;
        Iterator<Tombstone> it = byId.values().iterator();
        while (it.hasNext()) {
            Tombstone t = it.next();
            if (byId.size() <= rules.maxTombstones && t.at > now - rules.tombstoneRetention) {
                break;
            }
            counts.counted(t.state, -1);
            it.remove();
            forgotten++;
        }
        return forgotten;
    }

    Stream<Slot> inState(MessageState state) {
        return byId.entrySet().stream().filter(e -> e.getValue().state == state)
                .map(e -> e.getValue().asSlot(e.getKey()));
    }

    void write(ObjectDataOutput out) throws IOException {
        out.writeInt(byId.size());
        for (Map.Entry<String, Tombstone> e : byId.entrySet()) {
            out.writeString(e.getKey());
            e.getValue().write(out);
        }
    }

    void read(ObjectDataInput in, ShardIndex counts) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String id = in.readString();
            Tombstone t = Tombstone.read(in);
            byId.put(id, t);
            counts.counted(t.state, 1);
        }
    }

    /**
     * A finished message's id, remembered: how it finished, when, the token that completed it, and its exclusive
     * key, which places its row in its shard again after a restart (the shard of its id is another one).
     */
    static final class Tombstone {
        MessageState state;
        long at;
        String token;
        long version;
        boolean stored;
        String exclusiveKey;

        Slot asSlot(String id) {
            Slot s = new Slot();
            s.id = id;
            s.state = state;
            s.stateSince = at;
            s.version = version;
            s.stored = stored;
            s.exclusiveKey = exclusiveKey;
            return s;
        }

        void write(ObjectDataOutput out) throws IOException {
            out.writeByte(state.ordinal());
            out.writeLong(at);
            out.writeString(token);
            out.writeLong(version);
            out.writeBoolean(stored);
            out.writeString(exclusiveKey);
        }

        static Tombstone read(ObjectDataInput in) throws IOException {
            Tombstone t = new Tombstone();
            t.state = MessageState.values()[in.readByte()];
            t.at = in.readLong();
            t.token = in.readString();
            t.version = in.readLong();
            t.stored = in.readBoolean();
            t.exclusiveKey = in.readString();
            return t;
        }
    }
}
