package io.orrery.gateway.internal.trace;

import io.orrery.api.tenant.Tenant;
import io.orrery.api.tenant.TenantDirectory;
import io.orrery.api.trace.SpanRecord;
import io.orrery.api.trace.SpanTree;
import io.orrery.api.trace.TraceReader;
import io.orrery.gateway.internal.ApiServices;
import io.orrery.gateway.internal.http.ApiHandler;
import io.orrery.gateway.internal.http.ApiProblem;
import io.orrery.gateway.internal.http.ApiRequest;
import io.orrery.gateway.internal.http.ApiResponse;
import io.orrery.gateway.internal.http.ApiRouteBuilder;
import io.orrery.gateway.internal.http.EndpointSpec;
import io.orrery.gateway.internal.http.RestDocs;
import io.orrery.gateway.schema.TraceDocument;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.camel.RoutesBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * {@code GET /tenants/{t}/traces/{traceId}}: the tenant's spans of one trace as a tree. A trace holding none of
 * the tenant's spans is answered 404 like one that never existed, so a tenant learns nothing of another's traces.
 * Nor of a deleted tenant's of the same name: spans are kept by tenant name and outlive a deletion until they age
 * out, so only those that started once the tenant existed are its own. (A node whose clock is behind the one that
 * created the tenant may date the tenant's very first spans before it, and they are not shown.)
 */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE)
public class TraceRoutes extends ApiRouteBuilder {

    static final EndpointSpec SHOW = EndpointSpec.of("trace-show", "/tenants/{tenant}/traces/{traceId}");
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");

    private final TenantDirectory directory;
    private final TraceReader traces;

    @Activate
    public TraceRoutes(@Reference ApiServices services, @Reference TraceReader traces) {
        super(services.gate(), services.metrics());
        this.directory = services.directory();
        this.traces = traces;
    }

    @Override
    protected void routes() {
        RestDocs docs = new RestDocs(getContext());
        var show = authenticatedRest("/tenants/{tenant}/traces", "traces").get("/{traceId}").id(SHOW.id())
                .produces(JSON)
                .description("The tenant's spans of one trace as a tree: request, rule firings, queue waits, calls");
        show = docs.pathParam(docs.tenantScoped(show), "traceId", "The trace id (32 hex digits), as instances show it");
        docs.answer(show, 200, "The span tree", TraceDocument.class).to(direct(SHOW));
        endpoint(SHOW, ApiHandler.immediate(this::show));
    }

    private ApiResponse show(ApiRequest request) {
        String traceId = request.path("traceId").toLowerCase(Locale.ROOT);
        if (!TRACE_ID.matcher(traceId).matches()) {
            throw ApiProblem.notFound("traceId", "trace: a trace id is 32 hexadecimal digits");
        }
        List<SpanRecord> spans = ownSpans(request.tenant(), traceId);
        if (spans.isEmpty()) {
            throw ApiProblem.notFound("traceId", "trace: no trace " + traceId + " is kept for this tenant");
        }
        return ApiResponse.json(200, new TraceDocument(traceId, spans.size(),
                SpanTree.of(spans).stream().map(TraceRoutes::node).toList()));
    }

    /** The tenant's spans of the trace that started once it was created: earlier ones are a deleted namesake's. */
    private List<SpanRecord> ownSpans(String tenant, String traceId) {
        Optional<Tenant> current = directory.find(tenant);
        if (current.isEmpty()) {
            return List.of();
        }
        long createdMicros = TimeUnit.MILLISECONDS.toMicros(current.get().createdAt().toEpochMilli());
        return traces.spans(tenant, traceId).stream().filter(s -> s.startMicros() >= createdMicros).toList();
    }

    private static TraceDocument.SpanNode node(SpanTree tree) {
        SpanRecord s = tree.span();
        return new TraceDocument.SpanNode(s.spanId(), s.name(), s.startMicros(), s.endMicros(), s.durationMicros(),
                s.failure() == null ? null : s.failure().name().toLowerCase(Locale.ROOT), s.failureMessage(),
                s.attributes(), tree.children().stream().map(TraceRoutes::node).toList());
    }
}
