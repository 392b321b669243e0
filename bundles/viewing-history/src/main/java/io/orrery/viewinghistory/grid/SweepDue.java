package io.orrery.viewinghistory.grid;

import com.hazelcast.query.extractor.ValueCollector;
import com.hazelcast.query.extractor.ValueExtractor;

/**
 * The sessions map's attribute {@value #ATTRIBUTE}: when the idle sweep first has something to do with a session
 * ({@link SessionCodec#sweepDue}). A sorted index on it lets a sweep visit only the sessions past the cutoff, not
 * every state the grid retains: the settled ones, nearly all of them, carry {@link Long#MAX_VALUE}.
 *
 * <p>Hazelcast calls it on every write of a state, on the partition thread, and loads it by name through the
 * cluster's class loader (hence its place in this exported package).
 */
public final class SweepDue implements ValueExtractor<Object, Object> {

    public static final String ATTRIBUTE = "sweepDue";

    @Override
    public void extract(Object state, Object argument, ValueCollector<Object> collector) {
        collector.addObject(SessionCodec.sweepDue(state));
    }
}
