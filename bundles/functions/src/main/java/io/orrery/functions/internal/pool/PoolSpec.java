package io.orrery.functions.internal.pool;

/**
 * One pool as configured.
 *
 * @param name     letters, digits, {@code _} and {@code -}
 * @param parent   null for the root
 * @param reserved slots kept for this pool's calls, lent to its siblings while idle
 * @param max      the most slots this pool's calls (with those of the pools below it) hold at once
 */
public record PoolSpec(String name, String parent, int reserved, int max) {

    public PoolSpec withSlots(int newReserved, int newMax) {
        return new PoolSpec(name, parent, newReserved, newMax);
    }
}
