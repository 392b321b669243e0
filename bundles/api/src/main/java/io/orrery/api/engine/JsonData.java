package io.orrery.api.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps state, outputs and call arguments plain JSON data, so instances can be stored as JSON: copies maps with
 * string keys, lists, strings (Groovy's GStrings become Strings), numbers, booleans and nulls, and refuses anything
 * else with the path of the offending value. Data is a tree: a map or list that holds itself (a cycle) is refused
 * with its path too, instead of overflowing the stack.
 */
public final class JsonData {

    /** Below this depth copies track nothing; from it on, the containers on the way down, to find a cycle. */
    private static final int TRACKED_DEPTH = 16;

    private JsonData() {
    }

    public static Object copy(Object value, String path) {
        return copy(value, path, 0, null);
    }

    public static Map<String, Object> copyMap(Map<?, ?> m, String path) {
        return copyMap(m, path, 0, null);
    }

    private static Object copy(Object value, String path, int depth, List<Object> above) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Double || value instanceof BigDecimal
                || value instanceof BigInteger) {
            return value;
        }
        if (value instanceof CharSequence s) {
            return s.toString();
        }
        if (value instanceof Number n) {
            return n instanceof Float || n instanceof Short || n instanceof Byte ? (Object) n.doubleValue() : n;
        }
        if (value instanceof Map<?, ?> m) {
            return copyMap(m, path, depth, above);
        }
        if (value instanceof Collection<?> c) {
            List<Object> trail = enter(c, path, depth, above);
            List<Object> list = new ArrayList<>(c.size());
            int i = 0;
            for (Object o : c) {
                list.add(copy(o, path + "[" + i++ + "]", depth + 1, trail));
            }
            leave(trail);
            return list;
        }
        if (value instanceof Object[] a) {
            return copy(List.of(a), path, depth, above);
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        throw new IllegalArgumentException(path + ": a " + value.getClass().getName()
                + " is not JSON data (use maps, lists, strings, numbers, booleans)");
    }

    private static Map<String, Object> copyMap(Map<?, ?> m, String path, int depth, List<Object> above) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (m == null) {
            return out;
        }
        List<Object> trail = enter(m, path, depth, above);
        for (var e : m.entrySet()) {
            if (!(e.getKey() instanceof CharSequence k)) {
                throw new IllegalArgumentException(path + ": map keys must be strings, got " + e.getKey());
            }
            out.put(k.toString(), copy(e.getValue(), path + "." + k, depth + 1, trail));
        }
        leave(trail);
        return out;
    }

    /** The containers above the next level, this one included, once deep enough for a cycle to matter. */
    private static List<Object> enter(Object container, String path, int depth, List<Object> above) {
        if (depth < TRACKED_DEPTH) {
            return null;
        }
        List<Object> trail = above == null ? new ArrayList<>() : above;
        for (Object o : trail) {
            if (o == container) {
                throw new IllegalArgumentException(shorten(path) + ": holds itself (a cycle); state, outputs and "
                        + "call arguments must be trees of plain data");
            }
        }
        trail.add(container);
        return trail;
    }

    private static void leave(List<Object> trail) {
        if (trail != null) {
            trail.remove(trail.size() - 1);
        }
    }

    private static String shorten(String path) {
        return path.length() <= 160 ? path : path.substring(0, 80) + "…" + path.substring(path.length() - 60);
    }

    /** Whether the value is a map or a collection: the kinds of data that hold other data. */
    public static boolean isContainer(Object value) {
        return value instanceof Map || value instanceof Collection;
    }
}
