package io.orrery.gateway.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.api.function.FunctionCatalog;
import io.orrery.api.tenant.BundleDeployer;
import io.orrery.api.tenant.TenantDirectory;
import io.orrery.api.trace.Tracer;
import io.orrery.gateway.internal.http.ApiProblem;
import io.orrery.gateway.internal.http.BearerAuthentication;
import io.orrery.gateway.internal.http.ClusterBuckets;
import io.orrery.gateway.internal.http.GatewayMetrics;
import io.orrery.gateway.internal.http.RequestGate;
import io.orrery.gateway.internal.http.TenantRateLimiter;
import io.orrery.gateway.internal.instance.IdempotencyRecords;
import io.orrery.gateway.internal.instance.InstanceCounts;
import io.orrery.gateway.internal.instance.InstanceCreation;
import io.orrery.gateway.internal.instance.InstanceQuota;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * What the gateway's routes share: the request gate (with the cluster's per-tenant rate buckets), instance creation (shared
 * by REST and Kafka), the engine, the bundle deployer when one is present, the settings and the meters. Plain
 * Java: tests build one directly; {@link GatewayComponent} is the OSGi shell.
 */
public class ApiServices {

    private final TenantDirectory directory;
    private final WorkflowEngine engine;
    private final GatewaySettings settings;
    private final GatewayMetrics metrics;
    private final RequestGate gate;
    private final InstanceCreation instances;
    private final ClusterBuckets buckets;
    private final TenantRateLimiter limiter;
    private final BearerAuthentication kafkaAuthentication;
    private volatile BundleDeployer deployer;
    private volatile FunctionCatalog functions;

    /**
     * @param dataSource where Idempotency-Key records live (the store, migrated for {@code gateway})
     * @param buckets    the cluster's rate buckets
     * @param counts     the cluster's count of each tenant's instances (the {@code maxInstances} quota)
     * @param clock      the cluster's clock: idempotency records are read and written by every node
     */
    public ApiServices(TenantDirectory directory, WorkflowEngine engine, DataSource dataSource,
                       GatewaySettings settings, MeterRegistry registry, ClusterBuckets buckets, InstanceCounts counts,
                       Clock clock) {
        this.directory = directory;
        this.engine = engine;
        this.settings = settings;
        this.metrics = new GatewayMetrics(registry);
        this.buckets = buckets;
        this.limiter = new TenantRateLimiter(buckets);
        this.gate = new RequestGate(directory, limiter, settings.failureLimit());
        this.kafkaAuthentication = new BearerAuthentication(directory, buckets, settings.failureLimit());
        IdempotencyRecords records = new IdempotencyRecords(dataSource, settings.idempotencyTtl(), clock);
        this.instances = new InstanceCreation(engine, new InstanceQuota(engine, directory, counts), records);
    }

    public TenantDirectory directory() {
        return directory;
    }

    public WorkflowEngine engine() {
        return engine;
    }

    public GatewaySettings settings() {
        return settings;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public RequestGate gate() {
        return gate;
    }

    /** The cluster's token buckets, for limits beyond the tenants' request rates. */
    public ClusterBuckets buckets() {
        return buckets;
    }

    /** The tenants' cluster-wide request rates, which REST and Kafka requests spend alike. */
    public TenantRateLimiter rateLimiter() {
        return limiter;
    }

    /** Checks the bearer tokens of Kafka requests (failures throttled per token prefix; records have no address). */
    public BearerAuthentication kafkaAuthentication() {
        return kafkaAuthentication;
    }

    public InstanceCreation instances() {
        return instances;
    }

    /** The bundle deployer; 503 while no engine extender provides one. */
    public BundleDeployer deployer() {
        BundleDeployer current = deployer;
        if (current == null) {
            throw ApiProblem.unavailable("bundle deployment is not available on this node yet");
        }
        return current;
    }

    /** The node's tracer for request spans; null while no trace bundle provides one. */
    public void setTracer(Tracer tracer) {
        metrics.tracer(tracer);
    }

    public synchronized void setDeployer(BundleDeployer deployer) {
        this.deployer = deployer;
    }

    /** The node's function catalog; 503 while the functions subsystem provides none. */
    public FunctionCatalog functions() {
        FunctionCatalog current = functions;
        if (current == null) {
            throw ApiProblem.unavailable("the function catalog is not available on this node yet");
        }
        return current;
    }

    public synchronized void setFunctions(FunctionCatalog catalog) {
        this.functions = catalog;
    }

    /** Forgets the catalog unless another one replaced it meanwhile. */
    public synchronized void removeFunctions(FunctionCatalog gone) {
        if (functions == gone) {
            functions = null;
        }
    }

    /** Forgets the deployer unless another one replaced it meanwhile. */
    public synchronized void removeDeployer(BundleDeployer gone) {
        if (deployer == gone) {
            deployer = null;
        }
    }
}
