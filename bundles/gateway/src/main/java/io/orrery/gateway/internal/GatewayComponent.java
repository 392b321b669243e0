package io.orrery.gateway.internal;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.api.function.FunctionCatalog;
import io.orrery.api.store.Store;
import io.orrery.api.tenant.BundleDeployer;
import io.orrery.api.tenant.TenantDirectory;
import io.orrery.api.time.ClusterClock;
import io.orrery.api.trace.Tracer;
import io.orrery.gateway.internal.http.ClusterBuckets;
import io.orrery.gateway.internal.instance.InstanceCounts;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The gateway's shared services in OSGi: the tenant directory, the engine, the store and the Hazelcast member (rate
 * buckets and the cluster's clock) are required (the REST routes and the Kafka ingestion appear with them); the bundle deployer comes and goes with the engine's extender,
 * the function catalog with the functions subsystem.
 */
@Component(service = ApiServices.class, configurationPid = "io.orrery.api",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = GatewayConfig.class)
public class GatewayComponent extends ApiServices {

    @Activate
    public GatewayComponent(@Reference TenantDirectory directory, @Reference WorkflowEngine engine,
                            @Reference Store store, @Reference MeterRegistry registry,
                            @Reference HazelcastInstance hazelcast, GatewayConfig config) {
        this(directory, engine, store, registry, hazelcast, config, new ClusterClock(hazelcast.getCluster()::getClusterTime));
    }

    private GatewayComponent(TenantDirectory directory, WorkflowEngine engine, Store store, MeterRegistry registry,
                             HazelcastInstance hazelcast, GatewayConfig config, ClusterClock clock) {
        super(directory, engine, store.dataSource(), GatewaySettings.of(config), registry,
                ClusterBuckets.on(hazelcast, clock), InstanceCounts.on(hazelcast), clock);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindDeployer(BundleDeployer deployer) {
        setDeployer(deployer);
    }

    void unbindDeployer(BundleDeployer deployer) {
        removeDeployer(deployer);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindTracer(Tracer tracer) {
        setTracer(tracer);
    }

    void unbindTracer(Tracer tracer) {
        setTracer(null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindFunctions(FunctionCatalog catalog) {
        setFunctions(catalog);
    }

    void unbindFunctions(FunctionCatalog catalog) {
        removeFunctions(catalog);
    }
}
