package io.orrery.api.function;

import java.util.List;

/**
 * The node's tree of resource pools ({@code etc/io.orrery.pools.cfg}): what the shell shows and changes.
 */
public interface ResourcePools {

    /** Every pool, parents before children. */
    List<PoolView> pools();

    /**
     * Changes a pool's reserved and maximum slots at once, on this node, until the configuration file changes.
     *
     * @throws IllegalArgumentException naming what is wrong (unknown pool, reservations above a parent's maximum…);
     *                                  the pools are then unchanged
     */
    PoolView resize(String pool, int reserved, int max);
}
