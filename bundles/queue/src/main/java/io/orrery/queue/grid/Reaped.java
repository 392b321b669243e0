package io.orrery.queue.grid;

/** What a shard's reap did, for the caller's metrics and wake-ups. */
public final class Reaped {
    int promoted;
    int expired;
    int died;

    public int promoted() { return promoted; }
    public int expired() { return expired; }
    public int died() { return died; }
}
