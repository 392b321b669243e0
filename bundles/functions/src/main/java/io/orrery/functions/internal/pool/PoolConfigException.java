package io.orrery.functions.internal.pool;

/** A pools configuration refused, naming the key at fault. */
public final class PoolConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;

    PoolConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    /** The configuration key at fault. */
    public String key() {
        return key;
    }
}
