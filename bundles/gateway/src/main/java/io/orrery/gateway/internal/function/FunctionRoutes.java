package io.orrery.gateway.internal.function;

import io.orrery.api.function.FunctionInfo;
import io.orrery.gateway.internal.ApiServices;
import io.orrery.gateway.internal.http.ApiHandler;
import io.orrery.gateway.internal.http.ApiRequest;
import io.orrery.gateway.internal.http.ApiResponse;
import io.orrery.gateway.internal.http.ApiRouteBuilder;
import io.orrery.gateway.internal.http.EndpointSpec;
import io.orrery.gateway.internal.http.RestDocs;
import io.orrery.gateway.schema.FunctionList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.RoutesBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * {@code GET /tenants/{t}/functions}: the functions the tenant may call (its own, then the platform's), where they
 * run, the pool its calls go to and its attempts and failures by class on the answering node.
 */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE)
public class FunctionRoutes extends ApiRouteBuilder {

    static final EndpointSpec LIST = EndpointSpec.of("function-list", "/tenants/{tenant}/functions");

    private final ApiServices services;

    @Activate
    public FunctionRoutes(@Reference ApiServices services) {
        super(services.gate(), services.metrics());
        this.services = services;
    }

    @Override
    protected void routes() {
        RestDocs docs = new RestDocs(getContext());
        var list = docs.answer(docs.tenantScoped(authenticatedRest("/tenants/{tenant}/functions", "functions")
                        .get().id(LIST.id()).produces(JSON)
                        .description("The functions the tenant may call (its own and the platform's) with their "
                                + "resource pool and the tenant's attempts and failures by class on this node")),
                200, "The functions", FunctionList.class);
        docs.problem(list, 503, "The node's function catalog is not available yet").to(direct(LIST));
        endpoint(LIST, ApiHandler.immediate(this::list));
    }

    private ApiResponse list(ApiRequest request) {
        return ApiResponse.json(200, new FunctionList(services.functions().functions(request.tenant()).stream()
                .map(FunctionRoutes::entry).toList()));
    }

    private static FunctionList.FunctionEntry entry(FunctionInfo f) {
        Map<String, Long> failures = new LinkedHashMap<>();
        f.failures().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> failures.put(e.getKey().tag(), e.getValue()));
        return new FunctionList.FunctionEntry(f.name(), f.tenant() == null, f.hosted() ? "host" : "server", f.pool(),
                f.invocations(), failures);
    }
}
