package io.orrery.engine.internal;

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
 * else with the path of the offending value.
 */
public final class JsonData {

    private JsonData() {
    }

    public static Object copy(Object value, String path) {
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
            return copyMap(m, path);
        }
        if (value instanceof Collection<?> c) {
            List<Object> list = new ArrayList<>(c.size());
            int i = 0;
            for (Object o : c) {
                list.add(copy(o, path + "[" + i++ + "]"));
            }
            return list;
        }
        if (value instanceof Object[] a) {
            return copy(List.of(a), path);
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        throw new IllegalArgumentException(path + ": a " + value.getClass().getName()
                + " is not JSON data (use maps, lists, strings, numbers, booleans)");
    }

    public static Map<String, Object> copyMap(Map<?, ?> m, String path) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (m == null) {
            return out;
        }
        for (var e : m.entrySet()) {
            if (!(e.getKey() instanceof CharSequence k)) {
                throw new IllegalArgumentException(path + ": map keys must be strings, got " + e.getKey());
            }
            out.put(k.toString(), copy(e.getValue(), path + "." + k));
        }
        return out;
    }

    static boolean isContainer(Object value) {
        return value instanceof Map || value instanceof Collection;
    }
}
