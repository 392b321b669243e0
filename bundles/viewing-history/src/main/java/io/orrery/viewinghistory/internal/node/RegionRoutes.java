package io.orrery.viewinghistory.internal.node;

import io.orrery.viewinghistory.internal.region.RegionRoute;
import org.apache.camel.RoutesBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/** The region router's route for the Camel runtime's whiteboard; no route with one region. */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE)
public class RegionRoutes extends RegionRoute {

    @Activate
    public RegionRoutes(@Reference ViewingHistory history) {
        super(history.regions(), history.forwarder(), history.source().primaryBrokers(),
                history.source().backupBrokers());
    }
}
