package io.orrery.viewinghistory.internal.node;

import io.orrery.viewinghistory.internal.processor.ProcessorRoute;
import java.time.Duration;
import org.apache.camel.RoutesBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/** The processor's routes for the Camel runtime's whiteboard (a fresh builder per add, as Camel requires). */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE)
public class ProcessorRoutes extends ProcessorRoute {

    @Activate
    public ProcessorRoutes(@Reference ViewingHistory history) {
        super(history.processor(), history.delays(), history.source(), Duration.ofSeconds(30), history.consumers());
    }
}
