package io.orrery.viewinghistory.internal.processor;

import com.hazelcast.config.AttributeConfig;
import com.hazelcast.config.IndexConfig;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.IndexType;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import io.orrery.viewinghistory.grid.SweepDue;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which sessions of this member the idle sweep visits. The grid keeps a session's state for days after it is
 * written (so late events find it), and a sweep that visited all of them ran every 30 s over a set that only grows
 * with the retention; a sorted index on {@link SweepDue} hands it the few past the cutoff instead.
 *
 * <p>The map keeps its states as objects ({@link InMemoryFormat#OBJECT}): an index over a map of serialized values
 * holds a deserialized copy of each value, which for a 20-step state (560 bytes) took 650 bytes more per session,
 * where an index over objects refers to the state itself (77 bytes more). The states are byte arrays the entry
 * processors replace, never change in place, so sharing them is safe.
 *
 * <p>The index is part of the sessions map's configuration, registered with the cluster before the map is first
 * used. A member that already ran the map without it (in a cluster of an earlier release, where the map lived before
 * the first member of this one registered the index) keeps the map as it was until it restarts, and its sweeps visit
 * every local session, as before; a member knows by the indexes its own copy of the map has.
 */
final class SweepIndex {

    private static final Logger LOG = LoggerFactory.getLogger(SweepIndex.class);

    private final IMap<String, Object> sessions;
    private final boolean indexed;

    private SweepIndex(IMap<String, Object> sessions, boolean indexed) {
        this.sessions = sessions;
        this.indexed = indexed;
    }

    /** Registers the index of the map {@code name}, then opens the map. */
    static SweepIndex on(HazelcastInstance hazelcast, String name) {
        MapConfig config = new MapConfig(hazelcast.getConfig().getMapConfig("default")).setName(name)
                .setInMemoryFormat(InMemoryFormat.OBJECT)
                .addAttributeConfig(new AttributeConfig(SweepDue.ATTRIBUTE, SweepDue.class.getName()))
                .addIndexConfig(new IndexConfig(IndexType.SORTED, SweepDue.ATTRIBUTE).setName(SweepDue.ATTRIBUTE));
        try {
            hazelcast.getConfig().addMapConfig(config);
        } catch (InvalidConfigurationException e) {
            LOG.debug("{}: the cluster keeps its configuration of the map ({})", name, e.getMessage());
        }
        IMap<String, Object> sessions = hazelcast.getMap(name);
        // The index's statistics are there when this member's copy of the map was made with the index, and only then.
        boolean indexed = sessions.getLocalMapStats().getIndexStats().containsKey(SweepDue.ATTRIBUTE);
        if (!indexed) {
            LOG.warn("{}: this member runs the map without the idle sweep's index (made before it was registered, or "
                    + "configured otherwise); each sweep visits every local session until the member restarts", name);
        }
        return new SweepIndex(sessions, indexed);
    }

    IMap<String, Object> sessions() {
        return sessions;
    }

    /** The sessions of this member the sweep has something to do with at {@code cutoff} (with the index: only those). */
    Set<String> due(long cutoff) {
        return indexed ? sessions.localKeySet(Predicates.lessThan(SweepDue.ATTRIBUTE, cutoff))
                : sessions.localKeySet();
    }
}
