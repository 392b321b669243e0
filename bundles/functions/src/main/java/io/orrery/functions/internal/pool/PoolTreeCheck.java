package io.orrery.functions.internal.pool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the pool specs from their keys and checks that they form a tree whose numbers fit together. */
final class PoolTreeCheck {

    private PoolTreeCheck() {
    }

    /** The pools, root first and every parent before its children. */
    static List<PoolSpec> pools(Map<String, Map<String, String>> props) {
        if (props.isEmpty()) {
            throw new PoolConfigException("pool.<name>.max", "no pool is configured");
        }
        Map<String, String> parents = new HashMap<>();
        String root = null;
        for (var e : props.entrySet()) {
            String parent = e.getValue().get("parent");
            if (parent == null || parent.isEmpty()) {
                if (root != null) {
                    throw new PoolConfigException("pool." + e.getKey() + ".parent",
                            "missing: only one pool may be the root, and '" + root + "' already is");
                }
                root = e.getKey();
            } else if (!props.containsKey(parent)) {
                throw new PoolConfigException("pool." + e.getKey() + ".parent", "no pool named '" + parent + "'");
            } else {
                parents.put(e.getKey(), parent);
            }
        }
        if (root == null) {
            throw new PoolConfigException("pool." + props.keySet().iterator().next() + ".parent",
                    "the pools form a cycle: one pool must have no parent");
        }
        List<PoolSpec> ordered = new ArrayList<>();
        Map<String, PoolSpec> byName = new HashMap<>();
        addWithChildren(root, null, props, parents, ordered, byName);
        for (String name : props.keySet()) {
            if (!byName.containsKey(name)) {
                throw new PoolConfigException("pool." + name + ".parent", "the pool is part of a cycle");
            }
        }
        check(ordered);
        return ordered;
    }

    private static void addWithChildren(String name, PoolSpec parent, Map<String, Map<String, String>> props,
                                        Map<String, String> parents, List<PoolSpec> out, Map<String, PoolSpec> byName) {
        Map<String, String> p = props.get(name);
        String maxText = p.get("max");
        int max;
        if (maxText == null || maxText.isEmpty()) {
            if (parent == null) {
                throw new PoolConfigException("pool." + name + ".max", "required for the root pool");
            }
            max = parent.max();
        } else {
            max = number("pool." + name + ".max", maxText);
        }
        String reservedText = p.get("reserved");
        int reserved = reservedText == null || reservedText.isEmpty() ? 0 : number("pool." + name + ".reserved", reservedText);
        PoolSpec spec = new PoolSpec(name, parent == null ? null : parent.name(), reserved, max);
        out.add(spec);
        byName.put(name, spec);
        parents.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).sorted()
                .forEach(child -> addWithChildren(child, spec, props, parents, out, byName));
    }

    /** Checks the numbers: reserved within max, a child within its parent, reservations within the parent. */
    static void check(List<PoolSpec> pools) {
        Map<String, PoolSpec> byName = new HashMap<>();
        Map<String, Integer> reservedBelow = new HashMap<>();
        for (PoolSpec p : pools) {
            String at = "pool." + p.name();
            if (p.max() < 1) {
                throw new PoolConfigException(at + ".max", "must be at least 1, got " + p.max());
            }
            if (p.reserved() < 0) {
                throw new PoolConfigException(at + ".reserved", "must not be negative, got " + p.reserved());
            }
            if (p.reserved() > p.max()) {
                throw new PoolConfigException(at + ".reserved", p.reserved() + " is more than the pool's max "
                        + p.max());
            }
            if (p.parent() != null) {
                PoolSpec parent = byName.get(p.parent());
                if (p.max() > parent.max()) {
                    throw new PoolConfigException(at + ".max", p.max() + " is more than the max " + parent.max()
                            + " of its parent '" + parent.name() + "'");
                }
                int sum = reservedBelow.merge(parent.name(), p.reserved(), Integer::sum);
                if (sum > parent.max()) {
                    throw new PoolConfigException(at + ".reserved", "the reservations below '" + parent.name()
                            + "' add up to " + sum + ", more than its max " + parent.max());
                }
            }
            byName.put(p.name(), p);
        }
    }

    static int number(String key, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new PoolConfigException(key, "expected a whole number, got '" + text + "'");
        }
    }
}
