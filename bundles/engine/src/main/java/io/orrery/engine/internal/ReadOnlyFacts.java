package io.orrery.engine.internal;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Read-only views of nested fact data, all the way down: a fact map that tenant code may only read (the input, the
 * output, the state in a match) hands out its maps and lists through these, so that {@code input.options.codec = 'x'}
 * or {@code state.chunks << c} in a match fails with the map's reason instead of changing a fact behind the
 * engine's back (unsaved, or saved without waking the rules that read it). Views are made on access, so reading
 * costs one small object per container reached.
 */
final class ReadOnlyFacts {

    private ReadOnlyFacts() {
    }

    /** The value itself, or a read-only view of it when it is a container. */
    static Object of(Object value, String reason) {
        if (value instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            return new MapView(map, reason);
        }
        if (value instanceof List<?> l) {
            return new ListView(l, reason);
        }
        if (value instanceof Collection<?> c) {
            return Collections.unmodifiableCollection(c);
        }
        return value;
    }

    static final class MapView extends AbstractMap<String, Object> {

        private final Map<String, Object> target;
        private final String reason;

        MapView(Map<String, Object> target, String reason) {
            this.target = target;
            this.reason = reason;
        }

        @Override
        public Object get(Object key) {
            return of(target.get(key), reason);
        }

        @Override
        public boolean containsKey(Object key) {
            return target.containsKey(key);
        }

        @Override
        public int size() {
            return target.size();
        }

        @Override
        public Object put(String key, Object value) {
            throw new UnsupportedOperationException(reason);
        }

        @Override
        public Object remove(Object key) {
            throw new UnsupportedOperationException(reason);
        }

        @Override
        public void clear() {
            throw new UnsupportedOperationException(reason);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    Iterator<Entry<String, Object>> it = target.entrySet().iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Entry<String, Object> next() {
                            Entry<String, Object> e = it.next();
                            return new SimpleImmutableEntry<>(e.getKey(), of(e.getValue(), reason));
                        }
                    };
                }

                @Override
                public int size() {
                    return target.size();
                }
            };
        }
    }

    static final class ListView extends AbstractList<Object> {

        private final List<?> target;
        private final String reason;

        ListView(List<?> target, String reason) {
            this.target = target;
            this.reason = reason;
        }

        @Override
        public Object get(int index) {
            return of(target.get(index), reason);
        }

        @Override
        public int size() {
            return target.size();
        }

        @Override
        public Object set(int index, Object element) {
            throw new UnsupportedOperationException(reason);
        }

        @Override
        public void add(int index, Object element) {
            throw new UnsupportedOperationException(reason);
        }

        @Override
        public Object remove(int index) {
            throw new UnsupportedOperationException(reason);
        }
    }
}
