package io.orrery.gateway.internal.workflow;

import io.orrery.api.engine.WorkflowSummary;
import io.orrery.gateway.internal.ApiServices;
import io.orrery.gateway.internal.http.ApiHandler;
import io.orrery.gateway.internal.http.ApiRequest;
import io.orrery.gateway.internal.http.ApiResponse;
import io.orrery.gateway.internal.http.ApiRouteBuilder;
import io.orrery.gateway.internal.http.EndpointSpec;
import io.orrery.gateway.internal.http.RestDocs;
import io.orrery.gateway.schema.WorkflowList;
import java.util.Comparator;
import org.apache.camel.RoutesBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/** {@code GET /tenants/{t}/workflows}: the tenant's deployed workflows, their versions and rules. */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE)
public class WorkflowRoutes extends ApiRouteBuilder {

    static final EndpointSpec LIST = EndpointSpec.of("workflow-list", "/tenants/{tenant}/workflows");

    private final ApiServices services;

    @Activate
    public WorkflowRoutes(@Reference ApiServices services) {
        super(services.gate(), services.metrics());
        this.services = services;
    }

    @Override
    protected void routes() {
        RestDocs docs = new RestDocs(getContext());
        docs.answer(docs.tenantScoped(authenticatedRest("/tenants/{tenant}/workflows", "workflows")
                        .get().id(LIST.id()).produces(JSON)
                        .description("The tenant's deployed workflows with their current versions and rule names")),
                200, "The workflows", WorkflowList.class).to(direct(LIST));
        endpoint(LIST, ApiHandler.immediate(this::list));
    }

    private ApiResponse list(ApiRequest request) {
        return ApiResponse.json(200, new WorkflowList(services.engine().workflows(request.tenant()).stream()
                .sorted(Comparator.comparing(WorkflowSummary::name))
                .map(w -> new WorkflowList.WorkflowEntry(w.name(), w.version(), w.rules()))
                .toList()));
    }
}
