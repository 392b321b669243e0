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
 * with its path too, instead of overflowing the stack; and so is data of more than {@link #MAX_VALUES} values once
 * copied as a tree, which a list holding the same list twice, forty levels down, is (2^40 values) while it takes
 * little memory: its copy would never end. Data nested more than {@link #MAX_DEPTH} levels is refused as well: a
 * rule builds such a value for little memory ({@code x = [x]} in a loop), and every later copy, save, read and
 * answer of it would recurse once a level, through path names that grow with each.
 */
public final class JsonData {

    /** Values one copy may hold, containers included: {@code io.orrery.engine.maxDataValues}. */
    public static final int MAX_VALUES = Integer.getInteger("io.orrery.engine.maxDataValues", 4_000_000);
    /**
     * Levels of maps and lists data may nest: {@code io.orrery.engine.maxDataDepth}, at most 900 (below the limit of
     * 1000 of JSON parsers and writers, with room for the documents that hold the data).
     */
    public static final int MAX_DEPTH = Math.min(900, Integer.getInteger("io.orrery.engine.maxDataDepth", 256));
    /** Below this depth copies track nothing; from it on, the containers on the way down, to find a cycle. */
    private static final int TRACKED_DEPTH = 16;

    private JsonData() {
    }

    public static Object copy(Object value, String path) {
        return copy(value, path, 0, new Walk());
    }

    public static Map<String, Object> copyMap(Map<?, ?> m, String path) {
        return copyMap(m, path, 0, new Walk());
    }

    /** One copy's way down: the containers above (deep enough for a cycle to matter), and the values so far. */
    private static final class Walk {
        private final List<Object> above = new ArrayList<>();
        private int values;

        void count(String path) {
            if (++values > MAX_VALUES) {
                throw new IllegalArgumentException(shorten(path) + ": more than " + MAX_VALUES + " values (a list or "
                        + "map held many times over counts each time); state, outputs and call arguments hold fewer");
            }
        }
    }

    private static Object copy(Object value, String path, int depth, Walk walk) {
        walk.count(path);
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
            return copyMap(m, path, depth, walk);
        }
        if (value instanceof Collection<?> c) {
            boolean tracked = enter(c, path, depth, walk);
            List<Object> list = new ArrayList<>(c.size());
            int i = 0;
            for (Object o : c) {
                list.add(copy(o, path + "[" + i++ + "]", depth + 1, walk));
            }
            leave(tracked, walk);
            return list;
        }
        if (value instanceof Object[] a) {
            return copy(List.of(a), path, depth, walk);
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        throw new IllegalArgumentException(path + ": a " + value.getClass().getName()
                + " is not JSON data (use maps, lists, strings, numbers, booleans)");
    }

    private static Map<String, Object> copyMap(Map<?, ?> m, String path, int depth, Walk walk) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (m == null) {
            return out;
        }
        boolean tracked = enter(m, path, depth, walk);
        for (var e : m.entrySet()) {
            if (!(e.getKey() instanceof CharSequence k)) {
                throw new IllegalArgumentException(path + ": map keys must be strings, got " + e.getKey());
            }
            out.put(k.toString(), copy(e.getValue(), path + "." + k, depth + 1, walk));
        }
        leave(tracked, walk);
        return out;
    }

    /** Adds the container to those above the next level once deep enough for a cycle to matter: whether it did. */
    private static boolean enter(Object container, String path, int depth, Walk walk) {
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException(shorten(path) + ": nested deeper than " + MAX_DEPTH + " levels of maps "
                    + "and lists; state, outputs and call arguments nest less");
        }
        if (depth < TRACKED_DEPTH) {
            return false;
        }
        for (Object o : walk.above) {
            if (o == container) {
                throw new IllegalArgumentException(shorten(path) + ": holds itself (a cycle); state, outputs and "
                        + "call arguments must be trees of plain data");
            }
        }
        walk.above.add(container);
        return true;
    }

    private static void leave(boolean tracked, Walk walk) {
        if (tracked) {
            walk.above.remove(walk.above.size() - 1);
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
