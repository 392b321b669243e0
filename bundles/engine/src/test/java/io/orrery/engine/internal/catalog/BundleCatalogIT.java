package io.orrery.engine.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.api.tenant.BundleRejectedException;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.store.JdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real Hazelcast members on loopback sharing one store: a bundle deployed through A is installed on B and on
 * a C that joins later, and an undeploy removes it from all three; a node that refuses a bundle does so alone.
 */
class BundleCatalogIT {

    private static final Duration SWEEP = Duration.ofMinutes(5); // longer than the test: announcements drive it

    private final LoopbackMembers loopback = new LoopbackMembers("orrery-catalog-test", 3);
    private final List<HazelcastInstance> members = new ArrayList<>();
    private final List<BundleCatalog> catalogs = new ArrayList<>();
    private final List<ManifestOnlyBundles> nodes = new ArrayList<>();
    private JdbcStore store;
    private CatalogRows rows;

    @BeforeEach
    void store() {
        store = JdbcStore.open("jdbc:h2:mem:catalog-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        store.migrate("catalog", BundleCatalog.class.getClassLoader());
        rows = new CatalogRows(store.dataSource());
    }

    @AfterEach
    void stop() {
        catalogs.forEach(BundleCatalog::close);
        members.forEach(m -> m.getLifecycleService().terminate());
        store.close();
    }

    @Test
    void aBundleDeployedOnOneNodeServesOnEveryNodeAndOnOnesThatJoinLaterUntilUndeployed() {
        BundleCatalog a = node(0, AppliedRevisions.inMemory());
        node(1, AppliedRevisions.inMemory());

        a.deploy("acme", ManifestOnlyBundles.jar("acme", "acme.encode", "1.0.0"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "1.0.0".equals(nodes.get(1).installed.get("acme/acme.encode")));

        node(2, AppliedRevisions.inMemory());
        await().atMost(Duration.ofSeconds(20)).until(() -> "1.0.0".equals(nodes.get(2).installed.get("acme/acme.encode")));

        catalogs.get(2).deploy("acme", ManifestOnlyBundles.jar("acme", "acme.encode", "2.0.0"));
        await().atMost(Duration.ofSeconds(20)).until(() -> nodes.stream()
                .allMatch(n -> "2.0.0".equals(n.installed.get("acme/acme.encode"))));

        assertThat(catalogs.get(1).undeploy("acme", "acme.encode")).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> nodes.stream().allMatch(n -> n.installed.isEmpty()));
        assertThat(catalogs.get(0).undeploy("acme", "acme.encode")).as("already undeployed").isFalse();
    }

    @Test
    void deletingATenantRemovesItsBundlesFromEveryNodeThoseInstalledByHandToo() {
        BundleCatalog a = node(0, AppliedRevisions.inMemory());
        node(1, AppliedRevisions.inMemory());
        a.deploy("acme", ManifestOnlyBundles.jar("acme", "acme.encode", "1.0.0"));
        await().atMost(Duration.ofSeconds(20)).until(() -> nodes.get(1).installed.containsKey("acme/acme.encode"));
        // Put in deploy/ or bundle:install'ed on one node, outside the catalog.
        nodes.get(0).installed.put("acme/acme.local", "1.0.0");
        nodes.get(1).installed.put("acme/acme.hand", "1.0.0");
        nodes.get(1).installed.put("beta/beta.hand", "1.0.0");

        assertThat(a.undeployAll("acme")).as("the catalog's bundle and this node's own").isEqualTo(2);

        await().atMost(Duration.ofSeconds(20)).until(() -> nodes.stream()
                .allMatch(n -> n.installed.keySet().stream().noneMatch(k -> k.startsWith("acme/"))));
        assertThat(nodes.get(1).installed).containsOnlyKeys("beta/beta.hand");
    }

    @Test
    void aNodeThatWasDownWhenABundleWasUndeployedRemovesItWhenItComesBack(@TempDir Path data) throws Exception {
        BundleCatalog a = node(0, AppliedRevisions.inMemory());
        node(1, AppliedRevisions.in(data.resolve("applied.properties")));
        a.deploy("acme", ManifestOnlyBundles.jar("acme", "acme.encode", "1.0.0"));
        await().atMost(Duration.ofSeconds(20)).until(() -> nodes.get(1).installed.containsKey("acme/acme.encode"));

        // Node 1 goes down; its framework keeps the bundle installed, its file the revision applied.
        catalogs.remove(1).close();
        members.remove(1).getLifecycleService().terminate();
        ManifestOnlyBundles kept = nodes.remove(1);
        a.undeploy("acme", "acme.encode");
        a.deploy("acme", ManifestOnlyBundles.jar("acme", "acme.other", "1.0.0"));

        nodes.add(1, kept);
        members.add(1, loopback.start(1));
        catalogs.add(1, new BundleCatalog(rows, kept, AppliedRevisions.in(data.resolve("applied.properties")),
                members.get(1), Clock.systemUTC(), SWEEP));
        await().atMost(Duration.ofSeconds(20)).until(() -> !kept.installed.containsKey("acme/acme.encode")
                && kept.installed.containsKey("acme/acme.other"));
        assertThat(Files.readString(data.resolve("applied.properties"))).contains("acme/acme.other");
    }

    @Test
    void aNodeRestartedWithItsBundlesInstalledDoesNotDeployThemAgain(@TempDir Path data) {
        BundleCatalog a = node(0, AppliedRevisions.in(data.resolve("applied.properties")));
        a.deploy("acme", ManifestOnlyBundles.jar("acme", "acme.encode", "1.0.0"));
        a.close();
        catalogs.clear();
        var restarted = new BundleCatalog(rows, nodes.get(0), AppliedRevisions.in(data.resolve("applied.properties")),
                members.get(0), Clock.systemUTC(), SWEEP);
        catalogs.add(restarted);
        node(1, AppliedRevisions.inMemory());
        await().atMost(Duration.ofSeconds(20)).until(() -> nodes.get(1).installed.containsKey("acme/acme.encode"));
        assertThat(nodes.get(0).deploys).hasValue(1);
    }

    @Test
    void aNodeRefusesABundleOnItsOwnAndTheOthersServeIt() throws Exception {
        BundleCatalog a = node(0, AppliedRevisions.inMemory());
        node(1, AppliedRevisions.inMemory());
        node(2, AppliedRevisions.inMemory());

        a.deploy("acme", ManifestOnlyBundles.jar("acme", "acme.encode", "1.0.0", "Refused-On", "node-1"));

        await().atMost(Duration.ofSeconds(20)).until(() -> nodes.get(2).installed.containsKey("acme/acme.encode"));
        await().atMost(Duration.ofSeconds(20)).until(() -> nodes.get(1).deploys.get() == 0
                && rows.all().size() == 1);
        assertThat(nodes.get(1).installed).isEmpty();
        // Refused where it is uploaded: nothing recorded, nothing announced.
        assertThatThrownBy(() -> catalogs.get(1).deploy("acme",
                ManifestOnlyBundles.jar("acme", "acme.other", "1.0.0", "Refused-On", "node-1")))
                .isInstanceOf(BundleRejectedException.class);
        assertThat(rows.find("acme", "acme.other")).isEmpty();
    }

    @Test
    void theStoreKeepsTheBytesOfEveryRevisionItServes() throws Exception {
        node(0, AppliedRevisions.inMemory());
        byte[] big = ManifestOnlyBundles.jar("acme", "acme.big", "1.0.0", "Padding", "x".repeat(60_000));
        catalogs.get(0).deploy("acme", big);
        CatalogEntry entry = rows.find("acme", "acme.big").orElseThrow();
        assertThat(rows.body(entry)).hasValueSatisfying(b -> assertThat(b).isEqualTo(big));
        assertThat(entry.digest()).isEqualTo(BundleCatalog.digest(big));
        assertThat(rows.body(new CatalogEntry("acme", "acme.big", "1.0.0", entry.digest(), entry.revision() - 1,
                true))).as("an older revision is not served").isEmpty();
    }

    private BundleCatalog node(int i, AppliedRevisions applied) {
        members.add(loopback.start(i));
        var bundles = new ManifestOnlyBundles("node-" + i);
        nodes.add(bundles);
        var catalog = new BundleCatalog(rows, bundles, applied, members.get(members.size() - 1), Clock.systemUTC(), SWEEP);
        catalogs.add(catalog);
        return catalog;
    }
}
