package io.orrery.queue.internal;

import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shard map's configuration, which the queue depends on for correctness, not only speed:
 * <ul>
 *   <li>In-memory format OBJECT: entry processors change the {@link io.orrery.queue.grid.Shard} in place and never
 *       set the value back. In BINARY every operation would work on a deserialized copy and its changes would
 *       be lost silently. So a map configured otherwise (by the member's own configuration) stops the service.</li>
 *   <li>After a split, the larger side's shards win ({@link PutIfAbsentMergePolicy}: an entry of the smaller side
 *       is kept only where the larger has none); the smaller side took no work ({@link MajorityGuard}).</li>
 * </ul>
 * Added as dynamic configuration, so the cluster bundle that builds the member's {@code Config} need not know
 * about queues.
 */
final class ShardMapSettings {

    private static final Logger LOG = LoggerFactory.getLogger(ShardMapSettings.class);

    private ShardMapSettings() {
    }

    static void apply(HazelcastInstance hz, String mapName) {
        MapConfig defaults = hz.getConfig().getMapConfig("default");
        MapConfig config = new MapConfig(mapName).setInMemoryFormat(InMemoryFormat.OBJECT)
                .setBackupCount(defaults.getBackupCount()).setAsyncBackupCount(defaults.getAsyncBackupCount())
                .setReadBackupData(false).setPerEntryStatsEnabled(false)
                .setMergePolicyConfig(new MergePolicyConfig(PutIfAbsentMergePolicy.class.getName(),
                        MergePolicyConfig.DEFAULT_BATCH_SIZE));
        try {
            hz.getConfig().addMapConfig(config);
        } catch (RuntimeException e) {
            // another member registered a different one (e.g. a different backup count): use the cluster's
            LOG.warn("queue: shard map configuration not added, using the cluster's: {}", e.toString());
        }
        InMemoryFormat format = hz.getConfig().findMapConfig(mapName).getInMemoryFormat();
        if (format != InMemoryFormat.OBJECT) {
            throw new IllegalStateException("queue: the map " + mapName + " is configured with in-memory format "
                    + format + "; the queue needs OBJECT (its shards are changed in place). Remove the map's "
                    + "configuration from the member's Hazelcast configuration or set it to OBJECT.");
        }
    }
}
