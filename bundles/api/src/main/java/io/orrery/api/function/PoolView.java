package io.orrery.api.function;

/**
 * One resource pool as configured and as used right now on this node.
 *
 * @param name     the pool's name
 * @param parent   its parent pool, or null for the root
 * @param reserved slots kept for its calls (lent to siblings while idle)
 * @param max      the most slots its calls may hold at once
 * @param inUse    slots held by calls of this pool and the pools below it
 * @param lent     of its idle reserved slots, how many siblings' calls hold now
 * @param waiting  calls of this pool waiting for a slot
 */
public record PoolView(String name, String parent, int reserved, int max, int inUse, int lent, int waiting) {
}
