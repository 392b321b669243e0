package io.orrery.engine.internal;

import io.orrery.api.engine.JsonData;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A view of one fact map ({@code state}, {@code input}, {@code output}) that records which top-level keys tenant
 * code read and wrote. Reads become a rule's dependencies; writes (and reads of containers, which may be changed
 * in place) become the changed facts that wake the rules depending on them. Whole-map access (iteration, size)
 * counts as reading every key.
 */
final class TrackingMap extends AbstractMap<String, Object> {

    static final String ALL = "*";

    private final String prefix;
    private final Map<String, Object> target;
    private final boolean writable;
    final Set<String> reads = new HashSet<>(4);
    final Set<String> writes = new HashSet<>(2);

    TrackingMap(String prefix, Map<String, Object> target, boolean writable) {
        this.prefix = prefix;
        this.target = target;
        this.writable = writable;
    }

    @Override
    public Object get(Object key) {
        reads.add(String.valueOf(key));
        Object value = target.get(key);
        return writable ? value : ReadOnlyFacts.of(value, readOnlyReason());
    }

    @Override
    public boolean containsKey(Object key) {
        reads.add(String.valueOf(key));
        return target.containsKey(key);
    }

    @Override
    public Object put(String key, Object value) {
        requireWritable();
        writes.add(key);
        return target.put(key, value);
    }

    @Override
    public Object remove(Object key) {
        requireWritable();
        writes.add(String.valueOf(key));
        return target.remove(key);
    }

    @Override
    public void clear() {
        requireWritable();
        writes.add(ALL);
        target.clear();
    }

    @Override
    public int size() {
        reads.add(ALL);
        return target.size();
    }

    @Override
    public boolean isEmpty() {
        reads.add(ALL);
        return target.isEmpty();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        reads.add(ALL);
        if (writable) {
            writes.add(ALL); // an iterator or entry may change anything
        }
        return writable ? target.entrySet() : new ReadOnlyFacts.MapView(target, readOnlyReason()).entrySet();
    }

    @Override
    public Set<String> keySet() {
        reads.add(ALL);
        return java.util.Collections.unmodifiableSet(target.keySet());
    }

    @Override
    public Collection<Object> values() {
        reads.add(ALL);
        if (writable) {
            writes.add(ALL);
            return target.values();
        }
        return new ReadOnlyFacts.MapView(target, readOnlyReason()).values();
    }

    private void requireWritable() {
        if (!writable) {
            throw new UnsupportedOperationException(readOnlyReason());
        }
    }

    private String readOnlyReason() {
        return prefix.equals("s") ? "state is read-only in a match"
                : prefix.equals("i") ? "input is read-only; it comes from requests"
                : "output changes only through complete(output: ...)";
    }

    /** Dependency keys read, prefixed with the map's letter: {@code s:chunks}, {@code i:*}. */
    void addReads(Set<String> into) {
        for (String k : reads) {
            into.add(prefix + ":" + k);
        }
    }

    /**
     * Keys that may have changed: those written, and those read whose value is a container (tenant code may
     * have changed it in place, {@code state.chunks.find { ... }.encoded = r.uri}).
     */
    Set<String> changedKeys() {
        Set<String> changed = new HashSet<>(writes);
        for (String k : reads) {
            if (k.equals(ALL) ? writable : JsonData.isContainer(target.get(k))) {
                changed.add(k);
            }
        }
        if (!writable) {
            changed.clear();
        }
        return changed;
    }
}
