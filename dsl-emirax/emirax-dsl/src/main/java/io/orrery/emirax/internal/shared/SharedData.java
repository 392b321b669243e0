package io.orrery.emirax.internal.shared;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Read-only views of the plain data a shared variable holds, all the way down. Changing one fails the section with
 * an error naming the variable; the plain JDK read-only views would fail it with no message at all.
 */
final class SharedData {

    private SharedData() {
    }

    /** The data, its lists and maps (fresh copies nothing else refers to) seen read-only. */
    @SuppressWarnings("unchecked")
    static Object view(String variable, Object data) {
        if (data instanceof List<?> list) {
            List<Object> items = (List<Object>) list;
            items.replaceAll(item -> view(variable, item));
            return new SharedList(variable, items);
        }
        if (data instanceof Map<?, ?> map) {
            Map<String, Object> entries = (Map<String, Object>) map;
            entries.replaceAll((key, value) -> view(variable, value));
            return new SharedMap(variable, entries);
        }
        return data;
    }

    static UnsupportedOperationException unchangeable(String variable) {
        return new UnsupportedOperationException("'" + variable + "' is declared outside the rule and shared by "
                + "every instance of the workflow, so it cannot be changed here; keep an instance's data in state");
    }

    /** A list of shared data. */
    static final class SharedList extends AbstractList<Object> implements RandomAccess {
        private final String variable;
        private final List<Object> items;

        SharedList(String variable, List<Object> items) {
            this.variable = variable;
            this.items = items;
        }

        @Override public Object get(int index) { return items.get(index); }
        @Override public int size() { return items.size(); }
        @Override public Object set(int index, Object element) { throw unchangeable(variable); }
        @Override public void add(int index, Object element) { throw unchangeable(variable); }
        @Override public Object remove(int index) { throw unchangeable(variable); }
        @Override public boolean removeIf(Predicate<? super Object> filter) { throw unchangeable(variable); }
        @Override protected void removeRange(int from, int to) { throw unchangeable(variable); }
        @Override public boolean addAll(int index, Collection<?> c) { throw unchangeable(variable); }
        @Override public void clear() { throw unchangeable(variable); }
    }

    /** A map of shared data, its keys in their order. */
    static final class SharedMap extends AbstractMap<String, Object> {
        private final String variable;
        private final Map<String, Object> entries;

        SharedMap(String variable, Map<String, Object> entries) {
            this.variable = variable;
            this.entries = entries;
        }

        @Override public Object get(Object key) { return entries.get(key); }
        @Override public boolean containsKey(Object key) { return entries.containsKey(key); }
        @Override public int size() { return entries.size(); }
        @Override public Object put(String key, Object value) { throw unchangeable(variable); }
        @Override public Object remove(Object key) { throw unchangeable(variable); }
        @Override public void putAll(Map<? extends String, ?> m) { throw unchangeable(variable); }
        @Override public void clear() { throw unchangeable(variable); }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return Collections.unmodifiableMap(entries).entrySet();
        }
    }
}
