package io.orrery.gateway.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.api.store.Store;
import io.orrery.api.tenant.BundleDeployer;
import io.orrery.api.tenant.TenantDirectory;
import java.time.Clock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The gateway's shared services in OSGi: the tenant directory, the engine and the store are required (the REST
 * routes and the Kafka ingestion appear with them); the bundle deployer comes and goes with the engine's extender.
 */
@Component(service = ApiServices.class, configurationPid = "io.orrery.api",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = GatewayConfig.class)
public class GatewayComponent extends ApiServices {

    @Activate
    public GatewayComponent(@Reference TenantDirectory directory, @Reference WorkflowEngine engine,
                            @Reference Store store, @Reference MeterRegistry registry, GatewayConfig config) {
        super(directory, engine, store.dataSource(), GatewaySettings.of(config), registry, Clock.systemUTC());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindDeployer(BundleDeployer deployer) {
        setDeployer(deployer);
    }

    void unbindDeployer(BundleDeployer deployer) {
        removeDeployer(deployer);
    }
}
