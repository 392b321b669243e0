package io.orrery.engine.internal.extender;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.api.store.Store;
import io.orrery.api.tenant.BundleDeployer;
import io.orrery.api.tenant.BundleDeployment;
import io.orrery.api.tenant.BundleDryRun;
import io.orrery.api.time.ClusterClock;
import io.orrery.emirax.EmiraxScript;
import io.orrery.engine.internal.catalog.AppliedRevisions;
import io.orrery.engine.internal.catalog.BundleCatalog;
import io.orrery.engine.internal.catalog.CatalogRows;
import io.orrery.engine.internal.catalog.OsgiNodeBundles;
import io.orrery.emirax.FallbackClassLoader;
import io.orrery.engine.internal.verify.BundleLimits;
import io.orrery.engine.internal.verify.ClassFileCheck;
import io.orrery.engine.internal.verify.TenantBundleVerifier;
import java.io.File;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The tenant bundle extender ({@code etc/io.orrery.engine.extender.cfg}): deploys the workflows of every tenant
 * bundle that starts into the engine, whatever installed it, and is the {@link BundleDeployer} behind REST uploads,
 * which it keeps in the cluster's catalog so that every node installs them ({@link BundleCatalog}).
 * When the engine service is replaced this component restarts with it and deploys every tenant bundle again.
 */
@Component(service = BundleDeployer.class, immediate = true, configurationPid = TenantBundleExtenderComponent.PID)
@Designate(ocd = TenantBundleExtenderComponent.Config.class)
public final class TenantBundleExtenderComponent implements BundleDeployer {

    public static final String PID = "io.orrery.engine.extender";

    @ObjectClassDefinition(name = "Orrery tenant bundle extender",
            description = "Deploys the workflows of tenant bundles (Orrery-Tenant) into the engine.")
    public @interface Config {

        @AttributeDefinition(description = "Seconds a stopped tenant bundle's workflows keep serving in case it "
                + "starts again (an update stops and starts it); an uninstalled bundle's go at once.")
        long stopGraceSeconds() default 10;

        @AttributeDefinition(description = "Seconds an upload waits for its workflows to be deployed (existing "
                + "instances are re-evaluated first).")
        long verdictTimeoutSeconds() default 300;

        @AttributeDefinition(description = "Seconds between two comparisons of this node's uploaded bundles with "
                + "the cluster's catalog, beside the ones every deploy and undeploy announces.")
        long catalogSweepSeconds() default 60;

        @AttributeDefinition(description = "Largest tenant bundle accepted, in bytes, as uploaded (compressed).")
        long maxCompressedBytes() default 32L << 20;

        @AttributeDefinition(description = "Largest tenant bundle accepted, in bytes, all entries inflated "
                + "(counted while inflating, not taken from the jar's headers).")
        long maxUncompressedBytes() default 128L << 20;

        @AttributeDefinition(description = "Most entries a tenant bundle may hold, directories included.")
        int maxEntries() default 10_000;

        @AttributeDefinition(description = "Highest ratio of inflated to compressed size of one entry (entries "
                + "under 64 KiB inflated are not counted).")
        int maxCompressionRatio() default 100;
    }

    @Reference
    private WorkflowEngine engine;
    @Reference
    private Store store;
    @Reference
    private HazelcastInstance hazelcast;

    private TenantBundleExtender extender;
    private TenantBundleTracking tracking;
    private UploadedBundleDeployer deployer;
    private BundleCatalog catalog;

    @Activate
    void activate(BundleContext context, Config config) {
        extender = new TenantBundleExtender(engine, BundleModuleLoader.forThisRuntime(), Clock.systemUTC(),
                Duration.ofSeconds(Math.max(0, config.stopGraceSeconds())));
        var verifier = new TenantBundleVerifier(new BundleLimits(config.maxCompressedBytes(),
                config.maxUncompressedBytes(), config.maxEntries(), config.maxCompressionRatio()),
                ClassFileCheck.standard());
        tracking = new TenantBundleTracking(context, extender, verifier).open();
        File data = context.getDataFile("tenant-bundles");
        deployer = new UploadedBundleDeployer(context, extender, tracking, verifier, runtimeLoader(),
                Duration.ofSeconds(Math.max(1, config.verdictTimeoutSeconds())), data == null ? null : data.toPath());
        catalog = catalog(context, config);
    }

    /** Uploads go through the cluster's catalog, which installs them on every node. */
    private BundleCatalog catalog(BundleContext context, Config config) {
        store.migrate("catalog", BundleCatalog.class.getClassLoader());
        File applied = context.getDataFile("catalog-applied.properties");
        return new BundleCatalog(new CatalogRows(store.dataSource()),
                new OsgiNodeBundles(context, deployer, deployDirectory(context)),
                applied == null ? AppliedRevisions.inMemory() : AppliedRevisions.in(applied.toPath()), hazelcast,
                new ClusterClock(hazelcast.getCluster()::getClusterTime),
                Duration.ofSeconds(Math.max(1, config.catalogSweepSeconds())));
    }

    /** Karaf's {@code deploy/} (FileInstall's default directory there), or none outside Karaf. */
    private static java.nio.file.Path deployDirectory(BundleContext context) {
        String base = context.getProperty("karaf.base");
        return base == null ? null : java.nio.file.Path.of(base, "deploy");
    }

    @Deactivate
    void deactivate() {
        catalog.close();
        tracking.close();
    }

    /** What an uploaded jar's classes see before installation: the DSL (and through it the API), then Groovy. */
    static ClassLoader runtimeLoader() {
        return new FallbackClassLoader(EmiraxScript.class.getClassLoader(),
                groovy.lang.GroovyObject.class.getClassLoader());
    }

    @Override
    public BundleDeployment deploy(String tenant, byte[] bundle) {
        return catalog.deploy(tenant, bundle);
    }

    @Override
    public boolean undeploy(String tenant, String symbolicName) {
        return catalog.undeploy(tenant, symbolicName);
    }

    @Override
    public int undeployAll(String tenant) {
        return catalog.undeployAll(tenant);
    }

    @Override
    public BundleDryRun dryRun(String tenant, byte[] bundle) {
        return deployer.dryRun(tenant, bundle);
    }

    /** The tenant's recent deploy verdicts, oldest first (for the shell and REST once the API carries them). */
    public List<DeployVerdict> recentVerdicts(String tenant) {
        return extender.verdicts().recent(tenant);
    }
}
