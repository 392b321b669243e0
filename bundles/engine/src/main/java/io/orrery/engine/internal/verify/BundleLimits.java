package io.orrery.engine.internal.verify;

/**
 * How big a tenant bundle may be. Sizes are counted while the entries are inflated, never taken from the zip's own
 * headers, so a bundle that lies about its sizes is stopped at the limit rather than read to its end.
 *
 * @param maxCompressedBytes   the jar itself, as uploaded
 * @param maxUncompressedBytes all entries together, inflated
 * @param maxEntries           entries, directories included
 * @param maxRatio             inflated over compressed size of one entry, for entries over {@link #RATIO_FLOOR}
 */
public record BundleLimits(long maxCompressedBytes, long maxUncompressedBytes, int maxEntries, int maxRatio) {

    /** Small entries compress well for honest reasons (a run of zeros, a short XML file); only big ones count. */
    public static final long RATIO_FLOOR = 64 * 1024;

    public static BundleLimits defaults() {
        return new BundleLimits(32L << 20, 128L << 20, 10_000, 100);
    }

    public BundleLimits {
        if (maxCompressedBytes <= 0 || maxUncompressedBytes <= 0 || maxEntries <= 0 || maxRatio <= 0) {
            throw new IllegalArgumentException("bundle limits must be positive");
        }
    }
}
