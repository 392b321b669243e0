package io.orrery.functions.internal.pool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pools of {@code etc/io.orrery.pools.cfg}, checked: a tree with one root, reservations that fit their parent,
 * and where each call goes. The syntax:
 * <pre>
 * pool.&lt;name&gt;.parent   = &lt;pool&gt;   (absent: the root; exactly one pool has none)
 * pool.&lt;name&gt;.reserved = N        (default 0)
 * pool.&lt;name&gt;.max      = N        (default: the parent's max; required for the root)
 * tenant.&lt;tenant&gt;       = &lt;pool&gt;   (a tenant's calls)
 * function.&lt;name&gt;       = &lt;pool&gt;   (a function's calls, before its tenant's pool)
 * default               = &lt;pool&gt;   (everything else; default the root)
 * opportunistic         = f1, f2     (functions whose calls run only on idle capacity)
 * waiting               = N          (claimed calls waiting for a slot; default twice the root's max)
 * batch.&lt;function&gt;      = N          (the most calls of one micro-batch, over the function's own)
 * </pre>
 */
public record PoolPlan(List<PoolSpec> pools, Map<String, String> tenants, Map<String, String> functions,
                       String defaultPool, Set<String> opportunistic, int waiting, Map<String, Integer> batches) {

    private static final Pattern POOL_KEY = Pattern.compile("pool\\.([A-Za-z0-9_-]+)\\.(parent|reserved|max)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    /** One root pool of four slots: what a node runs with when nothing is configured. */
    public static PoolPlan defaults() {
        return parse(Map.of("pool.root.max", "4"));
    }

    /** Parses and checks a configuration; keys that Config Admin and DS add are ignored. */
    public static PoolPlan parse(Map<String, ?> properties) {
        Map<String, Map<String, String>> poolProps = new TreeMap<>();
        Map<String, String> tenants = new TreeMap<>();
        Map<String, String> functions = new TreeMap<>();
        String defaultPool = null;
        Set<String> opportunistic = new HashSet<>();
        String waiting = null;
        Map<String, Integer> batches = new TreeMap<>();
        for (Map.Entry<String, ?> e : new TreeMap<>(properties).entrySet()) {
            String key = e.getKey();
            String value = e.getValue() == null ? "" : String.valueOf(e.getValue()).trim();
            Matcher m = POOL_KEY.matcher(key);
            if (m.matches()) {
                poolProps.computeIfAbsent(m.group(1), n -> new LinkedHashMap<>()).put(m.group(2), value);
            } else if (key.startsWith("tenant.") && key.length() > 7) {
                tenants.put(key.substring(7), value);
            } else if (key.startsWith("function.") && key.length() > 9) {
                functions.put(key.substring(9), value);
            } else if (key.equals("default")) {
                defaultPool = value;
            } else if (key.equals("opportunistic")) {
                for (String f : value.split(",")) {
                    if (!f.isBlank()) {
                        opportunistic.add(f.trim());
                    }
                }
            } else if (key.equals("waiting")) {
                waiting = value;
            } else if (key.startsWith("batch.") && key.length() > 6) {
                batches.put(key.substring(6), batchSize(key, value));
            } else if (!ignored(key)) {
                throw new PoolConfigException(key, "unknown key (expected pool.<name>.parent|reserved|max, "
                        + "tenant.<tenant>, function.<name>, default, opportunistic, waiting or batch.<function>)");
            }
        }
        List<PoolSpec> pools = PoolTreeCheck.pools(poolProps);
        Set<String> names = new HashSet<>();
        pools.forEach(p -> names.add(p.name()));
        tenants.forEach((t, p) -> known(names, "tenant." + t, p));
        functions.forEach((f, p) -> known(names, "function." + f, p));
        String root = pools.get(0).name();
        if (defaultPool != null) {
            known(names, "default", defaultPool);
        }
        int waitingLimit = waiting == null ? 2 * pools.get(0).max() : PoolTreeCheck.number("waiting", waiting);
        if (waitingLimit < 1) {
            throw new PoolConfigException("waiting", "must be at least 1, got " + waitingLimit);
        }
        return new PoolPlan(pools, tenants, functions, defaultPool == null ? root : defaultPool, opportunistic,
                waitingLimit, batches);
    }

    private static int batchSize(String key, String value) {
        int size = PoolTreeCheck.number(key, value);
        if (size < 1 || size > 1000) {
            throw new PoolConfigException(key, "must be 1 to 1000 calls, got " + size);
        }
        return size;
    }

    private static boolean ignored(String key) {
        return key.startsWith("service.") || key.startsWith("component.") || key.startsWith("felix.")
                || key.equals("osgi.ds.satisfying.condition.target");
    }

    private static void known(Set<String> pools, String key, String pool) {
        if (!NAME.matcher(pool).matches()) {
            throw new PoolConfigException(key, "expected a pool name, got '" + pool + "'");
        }
        if (!pools.contains(pool)) {
            throw new PoolConfigException(key, "no pool named '" + pool + "'");
        }
    }

    public PoolPlan {
        pools = List.copyOf(pools);
        tenants = Collections.unmodifiableMap(new TreeMap<>(tenants));
        functions = Collections.unmodifiableMap(new TreeMap<>(functions));
        opportunistic = Set.copyOf(opportunistic);
        batches = Collections.unmodifiableMap(new TreeMap<>(batches));
    }

    /** The configured batch size of a function's calls, or 0 when the function's own applies. */
    public int batchOf(String function) {
        return batches.getOrDefault(function, 0);
    }

    /** The pool a call goes to: its function's, else its tenant's, else the default. */
    public String poolOf(String tenant, String function) {
        String p = functions.get(function);
        if (p == null) {
            p = tenants.get(tenant);
        }
        return p == null ? defaultPool : p;
    }

    public boolean isOpportunistic(String function) {
        return opportunistic.contains(function);
    }

    /** This plan with one pool's slots changed, checked as a whole. */
    public PoolPlan resize(String pool, int reserved, int max) {
        List<PoolSpec> changed = new ArrayList<>(pools.size());
        boolean found = false;
        for (PoolSpec p : pools) {
            found |= p.name().equals(pool);
            changed.add(p.name().equals(pool) ? p.withSlots(reserved, max) : p);
        }
        if (!found) {
            throw new PoolConfigException("pool", "no pool named '" + pool + "'");
        }
        PoolTreeCheck.check(changed);
        return new PoolPlan(changed, tenants, functions, defaultPool, opportunistic, waiting, batches);
    }
}
