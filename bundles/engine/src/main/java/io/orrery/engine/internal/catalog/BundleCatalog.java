package io.orrery.engine.internal.catalog;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import io.orrery.api.tenant.BundleDeployment;
import io.orrery.api.tenant.BundleRejectedException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's tenant bundles: a bundle deployed through any node is installed on every node, and on nodes that
 * join later; an undeploy removes it everywhere. The store holds what is deployed ({@link CatalogRows}); a
 * Hazelcast topic tells the other nodes that something changed; each node then reconciles what it has installed
 * with the store — at start, on every announcement, and every sweep interval in case an announcement was missed
 * (a node cut off for a moment). Installing goes through {@link NodeBundles}, the path an upload takes, so each
 * node verifies each bundle itself and refuses, on its own, one that fails there. Deleting a tenant removes its
 * bundles from every node that is up, those installed there by hand too ({@value #ERASURES}).
 */
public final class BundleCatalog implements AutoCloseable {

    public static final String TOPIC = "orrery.catalog.announcements";
    /** Tenants being deleted: every node uninstalls every bundle naming them, catalog or not. */
    public static final String ERASURES = "orrery.catalog.erasures";
    private static final Logger LOG = LoggerFactory.getLogger(BundleCatalog.class);

    private final CatalogRows rows;
    private final NodeBundles node;
    private final AppliedRevisions applied;
    private final Clock clock;
    private final ITopic<String> announcements;
    private final UUID listener;
    private final ITopic<String> erasures;
    private final UUID erasureListener;
    private final ScheduledExecutorService reconciler;
    private final AtomicBoolean reconcileQueued = new AtomicBoolean();
    /** Revisions this node refused: not tried again until the catalog holds a newer one. */
    private final Map<String, Long> refused = new ConcurrentHashMap<>();

    /**
     * Starts reconciling at once, then on announcements and every {@code sweep}.
     *
     * @param clock the cluster's clock (the rows' update times)
     */
    public BundleCatalog(CatalogRows rows, NodeBundles node, AppliedRevisions applied, HazelcastInstance hz,
                         Clock clock, Duration sweep) {
        this.rows = rows;
        this.node = node;
        this.applied = applied;
        this.clock = clock;
        this.announcements = hz.getTopic(TOPIC);
        this.reconciler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "orrery-catalog-" + hz.getName());
            t.setDaemon(true);
            return t;
        });
        this.listener = announcements.addMessageListener(message -> requestReconcile());
        this.erasures = hz.getTopic(ERASURES);
        this.erasureListener = erasures.addMessageListener(message -> reconciler.execute(
                () -> uninstallHere(message.getMessageObject())));
        reconciler.scheduleWithFixedDelay(this::requestReconcile, 0, sweep.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Deploys on this node (refused here: nothing is recorded), records it in the store, tells the others. */
    public BundleDeployment deploy(String tenant, byte[] bundle) {
        BundleDeployment deployment;
        synchronized (this) {
            deployment = node.deploy(tenant, bundle);
            String bsn = deployment.symbolicName();
            try {
                long revision = rows.deployed(tenant, bsn, deployment.version(), digest(bundle), bundle, clock.millis());
                applied.put(tenant + "/" + bsn, revision);
                LOG.info("tenant {}: bundle {} {} deployed on this node, catalog revision {}", tenant, bsn,
                        deployment.version(), revision);
            } catch (SQLException e) {
                throw new IllegalStateException("the bundle serves on this node but could not be recorded for the "
                        + "other nodes (the store failed: " + e.getMessage() + "); upload it again", e);
            }
        }
        announce(tenant);
        return deployment;
    }

    /** Undeploys the tenant's bundle on every node; false when the tenant has no such bundle. */
    public boolean undeploy(String tenant, String symbolicName) {
        synchronized (this) {
            Optional<Long> revision;
            try {
                revision = rows.undeployed(tenant, symbolicName, clock.millis());
            } catch (SQLException e) {
                throw new IllegalStateException("the store failed: " + e.getMessage(), e);
            }
            boolean removedHere = node.uninstall(tenant, symbolicName);
            if (revision.isEmpty()) {
                return removedHere;
            }
            applied.put(tenant + "/" + symbolicName, revision.get());
            LOG.info("tenant {}: bundle {} undeployed, catalog revision {}", tenant, symbolicName, revision.get());
        }
        announce(tenant);
        return true;
    }

    /** Undeploys every bundle of the tenant on every node; how many were deployed. */
    public int undeployAll(String tenant) {
        List<String> names;
        try {
            names = rows.all().stream().filter(e -> e.tenant().equals(tenant) && e.deployed())
                    .map(CatalogEntry::symbolicName).toList();
        } catch (SQLException e) {
            throw new IllegalStateException("the store failed: " + e.getMessage(), e);
        }
        names.forEach(name -> undeploy(tenant, name));
        int byHand = uninstallHere(tenant);
        try {
            erasures.publish(tenant);
        } catch (RuntimeException e) {
            throw new IllegalStateException("tenant " + tenant + ": its bundles are gone from this node, but the "
                    + "other nodes could not be told to remove theirs (" + e.getMessage() + "); delete it again", e);
        }
        return names.size() + byHand;
    }

    /** Every bundle naming the tenant on this node, uploaded or installed by hand; how many. */
    private synchronized int uninstallHere(String tenant) {
        try {
            return node.uninstallTenant(tenant);
        } catch (RuntimeException e) {
            LOG.error("tenant {}: its bundles could not all be removed from this node: {}", tenant, e.toString());
            throw e;
        }
    }

    /** Brings this node in line with the store now (normally done on the catalog's own thread). */
    public synchronized void reconcile() throws SQLException {
        for (CatalogEntry entry : rows.all()) {
            apply(entry);
        }
    }

    private void apply(CatalogEntry entry) throws SQLException {
        OptionalLong done = applied.get(entry.key());
        boolean installed = node.installed(entry.tenant(), entry.symbolicName());
        if (done.isPresent() && done.getAsLong() >= entry.revision() && installed == entry.deployed()) {
            return;
        }
        if (!entry.deployed()) {
            node.uninstall(entry.tenant(), entry.symbolicName());
            applied.put(entry.key(), entry.revision());
            LOG.info("tenant {}: bundle {} undeployed on this node (catalog revision {})", entry.tenant(),
                    entry.symbolicName(), entry.revision());
            return;
        }
        if (Long.valueOf(entry.revision()).equals(refused.get(entry.key()))) {
            return;
        }
        Optional<byte[]> body = rows.body(entry);
        if (body.isEmpty()) {
            return; // the row moved on since it was read: its announcement brings the newer revision
        }
        if (!digest(body.get()).equals(entry.digest())) {
            refused.put(entry.key(), entry.revision());
            LOG.error("tenant {}: bundle {} revision {} in the store does not match its digest; not installed",
                    entry.tenant(), entry.symbolicName(), entry.revision());
            return;
        }
        try {
            node.deploy(entry.tenant(), body.get());
            applied.put(entry.key(), entry.revision());
            LOG.info("tenant {}: bundle {} {} installed on this node from the catalog (revision {})", entry.tenant(),
                    entry.symbolicName(), entry.version(), entry.revision());
        } catch (BundleRejectedException e) {
            refused.put(entry.key(), entry.revision());
            LOG.error("tenant {}: bundle {} {} (catalog revision {}) refused on this node: {}{}", entry.tenant(),
                    entry.symbolicName(), entry.version(), entry.revision(),
                    e.field() == null ? "" : e.field() + ": ", e.getMessage());
        }
    }

    private void requestReconcile() {
        if (reconcileQueued.compareAndSet(false, true)) {
            reconciler.execute(() -> {
                reconcileQueued.set(false);
                try {
                    reconcile();
                } catch (SQLException | RuntimeException e) {
                    LOG.warn("reconciling tenant bundles with the catalog failed (tried again on the next "
                            + "announcement or sweep): {}", e.toString());
                }
            });
        }
    }

    private void announce(String tenant) {
        try {
            announcements.publish(tenant);
        } catch (RuntimeException e) {
            LOG.warn("tenant {}: cannot announce a bundle change (the other nodes see it at their next sweep): {}",
                    tenant, e.toString());
        }
    }

    static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            announcements.removeMessageListener(listener);
            erasures.removeMessageListener(erasureListener);
        } catch (RuntimeException e) {
            LOG.debug("catalog listener already gone with the member: {}", e.toString());
        }
        reconciler.shutdownNow();
    }
}
