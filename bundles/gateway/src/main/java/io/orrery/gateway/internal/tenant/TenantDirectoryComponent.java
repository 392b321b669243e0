package io.orrery.gateway.internal.tenant;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.api.queue.QueueService;
import io.orrery.api.store.Store;
import io.orrery.api.tenant.BundleDeployer;
import io.orrery.api.tenant.IssuedToken;
import io.orrery.api.tenant.Principal;
import io.orrery.api.tenant.Tenant;
import io.orrery.api.tenant.TenantDirectory;
import io.orrery.api.tenant.TenantQuota;
import io.orrery.api.tenant.TokenInfo;
import io.orrery.api.tenant.TokenTerms;
import io.orrery.gateway.internal.GatewayConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TenantDirectory} service: migrates {@code db/gateway/} and serves {@link StoredTenantDirectory}, with
 * quotas and the administrator token from {@code etc/io.orrery.api.cfg} (see {@link GatewayConfig}).
 */
@Component(service = TenantDirectory.class, configurationPid = "io.orrery.api",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class TenantDirectoryComponent implements TenantDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(TenantDirectoryComponent.class);

    private final StoredTenantDirectory directory;
    private final TenantErasure erasure = new TenantErasure(() -> this.deployer, () -> this.engine, () -> this.queues,
            () -> this.hazelcast, () -> this.meters);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile BundleDeployer deployer;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile WorkflowEngine engine;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile QueueService queues;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile HazelcastInstance hazelcast;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile MeterRegistry meters;

    @Activate
    public TenantDirectoryComponent(@Reference Store store, GatewayConfig config, Map<String, Object> properties) {
        store.migrate("gateway", TenantDirectoryComponent.class.getClassLoader());
        TenantQuota defaults = new TenantQuota(config.quota_maxBundleBytes(), config.quota_maxInstances(),
                config.quota_requestsPerSecond(), config.quota_burst());
        directory = new StoredTenantDirectory(store.dataSource(), TenantQuotas.parse(defaults, properties),
                TokenHash.parseConfigured(config.adminTokenHash()), Clock.systemUTC());
        directory.firstStartAdminToken().ifPresent(token -> handOut(token, config.adminTokenFile()));
    }

    private static void handOut(IssuedToken token, String configuredFile) {
        Path file = AdminTokenFile.location(configuredFile);
        AdminTokenFile.write(file, token.token());
        LOG.warn("Generated the administrator token {}: it is in {} (readable by this user only). Keep it, then "
                + "delete the file; or set adminTokenHash in etc/io.orrery.api.cfg", token.tokenId(), file.toAbsolutePath());
    }

    @Override public IssuedToken create(String name) { return directory.create(name); }
    @Override public List<Tenant> list() { return directory.list(); }
    @Override public Optional<Tenant> find(String name) { return directory.find(name); }
    /** The tenant with its tokens, bundles, instances, queued messages and meters ({@link TenantErasure}). */
    @Override
    public boolean delete(String name) {
        if (!directory.revokeAll(name)) {
            return false;
        }
        erasure.erase(name);
        return directory.delete(name);
    }

    @Override public IssuedToken issueToken(String name, boolean revokeOthers) { return directory.issueToken(name, revokeOthers); }
    @Override public IssuedToken issueAdminToken() { return directory.issueAdminToken(); }
    @Override public IssuedToken issueToken(String name, TokenTerms terms, boolean revokeOthers) { return directory.issueToken(name, terms, revokeOthers); }
    @Override public IssuedToken issueAdminToken(TokenTerms terms) { return directory.issueAdminToken(terms); }
    @Override public List<TokenInfo> tokens(String name) { return directory.tokens(name); }
    @Override public boolean revokeToken(String tokenId) { return directory.revokeToken(tokenId); }
    @Override public Optional<Principal> authenticate(String bearerToken) { return directory.authenticate(bearerToken); }
    @Override public TenantQuota quota(String name) { return directory.quota(name); }
}
