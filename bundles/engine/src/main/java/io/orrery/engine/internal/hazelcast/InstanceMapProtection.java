package io.orrery.engine.internal.hazelcast;

import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Split-brain protection of the instance map: when the member carries the cluster's majority protection (a majority
 * of the configured members, set up by the cluster bundle), the map {@value HazelcastInstanceTable#MAP} names it,
 * so on a side of a split that holds fewer members every read and save of an instance fails instead of racing the
 * other side; the engine there stops taking work (results stay on the queue, requests are refused) until the
 * cluster is whole again. Added as dynamic configuration, so the cluster bundle need not know the engine's maps.
 */
public final class InstanceMapProtection {

    /** The protection's name; the cluster bundle's {@code ClusterMembers.MAJORITY}. */
    public static final String MAJORITY = "orrery-majority";
    private static final Logger LOG = LoggerFactory.getLogger(InstanceMapProtection.class);

    private InstanceMapProtection() {
    }

    /** Answers whether the map is protected (false on a member without the majority protection). */
    public static boolean configure(HazelcastInstance hz) {
        if (!hz.getConfig().getSplitBrainProtectionConfigs().containsKey(MAJORITY)) {
            LOG.info("engine: no split-brain protection on {} (one configured member)", HazelcastInstanceTable.MAP);
            return false;
        }
        MapConfig defaults = hz.getConfig().getMapConfig("default");
        MapConfig config = new MapConfig(HazelcastInstanceTable.MAP).setBackupCount(defaults.getBackupCount())
                .setAsyncBackupCount(defaults.getAsyncBackupCount()).setSplitBrainProtectionName(MAJORITY);
        try {
            hz.getConfig().addMapConfig(config);
            return true;
        } catch (RuntimeException e) {
            // Another member registered a different one; it must name the protection too, or the sides can race.
            LOG.warn("engine: configuration of {} not added: {}", HazelcastInstanceTable.MAP, e.toString());
            return MAJORITY.equals(hz.getConfig().getMapConfig(HazelcastInstanceTable.MAP).getSplitBrainProtectionName());
        }
    }
}
