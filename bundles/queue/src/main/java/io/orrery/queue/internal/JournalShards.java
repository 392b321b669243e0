package io.orrery.queue.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Which shards a member's journal writer writes: those it owns, and, on one writer chosen among all (the live
 * writer with the lowest member id), the shards owned by members that have no writer of their own (no store, or
 * persistence off there). Without the second part, the journals of such members' shards would never be written:
 * a full restart would lose their messages while the store's members wrote theirs.
 */
final class JournalShards {

    static final String WRITERS = "orrery.queue.writers";

    private final HazelcastInstance hz;
    private final QueueRegistry registry;
    private final LocalShards local;
    private final IMap<String, String> writers;

    JournalShards(HazelcastInstance hz, QueueRegistry registry, LocalShards local) {
        this.hz = hz;
        this.registry = registry;
        this.local = local;
        this.writers = hz.getMap(WRITERS);
    }

    /** Announces this member as a writer. */
    void register() {
        writers.set(localId(), hz.getName());
    }

    void unregister() {
        writers.delete(localId());
    }

    /** Every shard this member writes for now. */
    List<String> all() {
        Set<String> live = liveWriters();
        boolean orphans = live.stream().sorted().findFirst().map(localId()::equals).orElse(false);
        List<String> keys = new ArrayList<>();
        for (QueueRoute route : registry.all()) {
            for (String key : route.shardKeys()) {
                if (local.owns(key) || orphans && orphan(key, live)) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    private boolean orphan(String key, Set<String> live) {
        Member owner = local.owner(key);
        return owner != null && !live.contains(owner.getUuid().toString());
    }

    private Set<String> liveWriters() {
        Set<String> members = hz.getCluster().getMembers().stream().map(m -> m.getUuid().toString())
                .collect(Collectors.toSet());
        return writers.keySet().stream().filter(members::contains).collect(Collectors.toSet());
    }

    private String localId() {
        UUID id = hz.getCluster().getLocalMember().getUuid();
        return id.toString();
    }
}
