package io.orrery.engine.internal.extender;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The verdicts on tenant bundles, newest last: the last one per bundle, and a short history per tenant for the
 * shell and REST ("why was my upload refused?"). An uploader waits here for the verdict on the revision it installed.
 */
public final class DeployVerdicts {

    private static final int PER_TENANT = 20;

    private final Map<Long, DeployVerdict> byBundle = new HashMap<>();
    private final Map<String, Deque<DeployVerdict>> byTenant = new HashMap<>();

    public synchronized void record(DeployVerdict v) {
        byBundle.put(v.bundleId(), v);
        Deque<DeployVerdict> history = byTenant.computeIfAbsent(v.tenant(), t -> new ArrayDeque<>());
        history.addLast(v);
        while (history.size() > PER_TENANT) {
            history.removeFirst();
        }
        notifyAll();
    }

    public synchronized Optional<DeployVerdict> last(long bundleId) {
        return Optional.ofNullable(byBundle.get(bundleId));
    }

    /** The tenant's recent verdicts, oldest first. */
    public synchronized List<DeployVerdict> recent(String tenant) {
        return new ArrayList<>(byTenant.getOrDefault(tenant, new ArrayDeque<>()));
    }

    /** The tenant's newest verdict. */
    public synchronized Optional<DeployVerdict> latest(String tenant) {
        Deque<DeployVerdict> history = byTenant.get(tenant);
        return history == null || history.isEmpty() ? Optional.empty() : Optional.of(history.getLast());
    }

    /**
     * Waits for the verdict on a revision: the bundle's first verdict other than {@code before} once its
     * {@code lastModified} has reached the given one. Empty when none came in time.
     *
     * @param before the bundle's verdict before the revision was installed; may be null
     */
    public synchronized Optional<DeployVerdict> await(long bundleId, long lastModified, DeployVerdict before,
                                                      Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            DeployVerdict v = byBundle.get(bundleId);
            if (v != null && v != before && v.lastModified() >= lastModified) {
                return Optional.of(v);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Drops a bundle's last verdict once it is uninstalled (the tenant's history keeps it). */
    public synchronized void forget(long bundleId) {
        byBundle.remove(bundleId);
    }
}
