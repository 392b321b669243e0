package io.orrery.viewinghistory.internal.rest;

import java.util.function.IntSupplier;

/**
 * Which users' events take the asynchronous path (Kafka, then the processor): those whose userId hashes below the
 * rollout percentage. The hash is {@link String#hashCode()}, which Java specifies, so every node and every run
 * routes a user the same way, and raising the percentage only ever moves users from synchronous to asynchronous.
 */
public final class Rollout {

    private final IntSupplier percent;

    public Rollout(IntSupplier percent) {
        this.percent = percent;
    }

    public static int bucket(String userId) {
        return Math.floorMod(userId.hashCode() * 0x9E3779B1, 100);
    }

    public boolean asynchronous(String userId) {
        return bucket(userId) < percent.getAsInt();
    }

    public int percent() {
        return percent.getAsInt();
    }
}
