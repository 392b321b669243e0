package io.orrery.gateway.internal.instance;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.gateway.internal.ApiServices;
import io.orrery.gateway.internal.http.ApiHandler;
import io.orrery.gateway.internal.http.ApiProblem;
import io.orrery.gateway.internal.http.ApiRequest;
import io.orrery.gateway.internal.http.ApiResponse;
import io.orrery.gateway.internal.http.ApiRouteBuilder;
import io.orrery.gateway.internal.http.EndpointSpec;
import io.orrery.gateway.internal.http.JsonBody;
import io.orrery.gateway.internal.http.LongPollLimit;
import io.orrery.gateway.internal.http.MediaTypes;
import io.orrery.gateway.internal.http.RestDocs;
import io.orrery.gateway.schema.CreateInstanceBody;
import io.orrery.gateway.schema.InstanceAccepted;
import io.orrery.gateway.schema.InstanceDetail;
import io.orrery.gateway.schema.InstancePage;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.model.rest.RestDefinition;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * Workflow instances over REST: create (202, Idempotency-Key honoured), show (with {@code ?wait=} long-poll that
 * holds no thread while waiting), list (filtered by status, paged) and retry.
 */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE)
public class InstanceRoutes extends ApiRouteBuilder {

    static final String INSTANCES = "/tenants/{tenant}/workflows/{workflow}/instances";
    static final EndpointSpec CREATE = EndpointSpec.of("instance-create", INSTANCES);
    static final EndpointSpec SHOW = EndpointSpec.of("instance-show", INSTANCES + "/{key}", "wait");
    static final EndpointSpec LIST = EndpointSpec.of("instance-list", INSTANCES, "status", "limit", "cursor");
    static final EndpointSpec RETRY = EndpointSpec.of("instance-retry", INSTANCES + "/{key}/retry");

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    /** Extra time given to the engine's own timeout before the gateway answers with the current view. */
    private static final long WAIT_GRACE_MS = 500;

    private final ApiServices services;
    private final WorkflowEngine engine;

    @Activate
    public InstanceRoutes(@Reference ApiServices services) {
        super(services.gate(), services.metrics());
        this.services = services;
        this.engine = services.engine();
    }

    @Override
    protected void routes() {
        Duration maxWait = LongPollLimit.cap(getContext(), services.settings().maxWait());
        RestDocs docs = new RestDocs(getContext());
        RestDefinition rest = authenticatedRest(INSTANCES, "instances");

        RestDefinition create = rest.post().id(CREATE.id()).consumes(JSON).produces(JSON)
                .description("Creates the instance with this key, or adds the request's input to the existing one "
                        + "(instances are always on). Idempotency-Key makes a retried request answer as the first did.");
        create = docs.pathParam(docs.tenantScoped(create), "workflow", "The workflow's name");
        create = docs.headerParam(docs.traced(create), "Idempotency-Key",
                "A unique key per logical request (1-255 printable ASCII); a repeat gets the first answer");
        create = docs.bodyParam(create, CreateInstanceBody.class, "key (optional, generated when absent), input "
                + "(the workflow's input fields), priority (0-9, default 5)");
        create = docs.answer(create, 202, "Accepted: the instance's key and status, and the request's trace id; "
                + "Location names the instance", InstanceAccepted.class);
        create = docs.answerHeader(create, 202, "Location", "The instance's URI");
        create = docs.answerHeader(create, 202, "Idempotent-Replayed",
                "true when this is the stored answer to an earlier request with the same Idempotency-Key");
        create = docs.problem(docs.problem(create, 409, "The same Idempotency-Key is still being processed"),
                413, "Body over the limit");
        docs.problem(docs.problem(create, 415, "Not application/json"),
                422, "Idempotency-Key reused with a different request").to(direct(CREATE));

        RestDefinition show = rest.get("/{key}").id(SHOW.id()).produces(JSON)
                .description("The instance: status, input, state, output, pending calls, recent firings, trace id. "
                        + "With ?wait= the answer waits until the instance has completed (or failed), or the wait ends.");
        show = docs.pathParam(docs.pathParam(docs.tenantScoped(show), "workflow", "The workflow's name"), "key",
                "The business key");
        show = docs.queryParam(show, "wait", "string", "Long-poll: 30s, 500ms, 2m or seconds; at most the configured maximum");
        docs.answer(show, 200, "The instance", InstanceDetail.class).to(direct(SHOW));

        RestDefinition list = rest.get().id(LIST.id()).produces(JSON)
                .description("The workflow's instances ordered by key, a page at a time; pass next back as cursor.");
        list = docs.pathParam(docs.tenantScoped(list), "workflow", "The workflow's name");
        list = docs.queryParam(list, "status", "string", "ACTIVE, IDLE or FAILED");
        list = docs.queryParam(list, "limit", "integer", "Page size, 1-100 (default 20)");
        list = docs.queryParam(list, "cursor", "string", "The next value of the previous page");
        docs.answer(list, 200, "A page of instances; next is null on the last page", InstancePage.class).to(direct(LIST));

        RestDefinition retry = rest.post("/{key}/retry").id(RETRY.id()).produces(JSON)
                .description("Resumes a FAILED instance: clears the failure and re-evaluates its rules.");
        retry = docs.traced(docs.pathParam(docs.pathParam(docs.tenantScoped(retry), "workflow", "The workflow's name"),
                "key", "The business key"));
        docs.problem(docs.answer(retry, 202, "Resumed", InstanceAccepted.class), 409, "The instance is not FAILED")
                .to(direct(RETRY));

        endpoint(CREATE, ApiHandler.immediate(this::create));
        endpoint(SHOW, request -> show(request, maxWait));
        endpoint(LIST, ApiHandler.immediate(this::list));
        endpoint(RETRY, ApiHandler.immediate(this::retry));
    }

    private ApiResponse create(ApiRequest request) {
        MediaTypes.requireJson(request.contentType());
        int limit = services.settings().maxBodyBytes();
        CreateRequest body = CreateRequest.parse(JsonBody.parse(request.body(limit, "body")));
        CreatedInstance created = services.instances().create(request.tenant(), request.path("workflow"), body,
                request.header("Idempotency-Key"), request.trace());
        ApiResponse response = ApiResponse.json(202, new InstanceAccepted(created.key(), created.status(), created.traceId()))
                .withHeader("Location", request.location(created.key()));
        return created.replayed() ? response.withHeader("Idempotent-Replayed", "true") : response;
    }

    private CompletionStage<ApiResponse> show(ApiRequest request, Duration maxWait) {
        InstanceId id = instanceId(request);
        Duration wait = WaitParameter.parse(request.query("wait"), maxWait);
        InstanceView now = find(id);
        if (wait.isZero() || settled(now)) {
            return CompletableFuture.completedFuture(ApiResponse.json(200, InstanceDocument.full(now)));
        }
        return engine.awaitSettled(id, wait)
                .toCompletableFuture()
                .completeOnTimeout(null, wait.toMillis() + WAIT_GRACE_MS, TimeUnit.MILLISECONDS)
                .thenApply(settled -> ApiResponse.json(200,
                        InstanceDocument.full(settled != null ? settled : engine.find(id).orElse(now))));
    }

    private ApiResponse list(ApiRequest request) {
        String tenant = request.tenant();
        String workflow = request.path("workflow");
        InstanceCreation.requireWorkflowName(workflow);
        InstanceStatus status = status(request.query("status"));
        int limit = limit(request.query("limit"));
        String after = ListCursor.decode(request.query("cursor"));
        if (engine.workflows(tenant).stream().noneMatch(w -> w.name().equals(workflow))) {
            throw ApiProblem.notFound("workflow", "workflow: '" + workflow + "' is not deployed for tenant " + tenant);
        }
        List<InstanceView> page = engine.listAfter(tenant, workflow, status, after, limit + 1);
        return ApiResponse.json(200, new InstancePage(page.stream().limit(limit).map(InstanceDocument::summary).toList(),
                page.size() > limit ? ListCursor.after(page.get(limit - 1).id().key()) : null));
    }

    private ApiResponse retry(ApiRequest request) {
        InstanceId id = instanceId(request);
        InstanceView view = find(id);
        if (view.status() != InstanceStatus.FAILED) {
            throw ApiProblem.conflict("status", "instance " + id.key() + " is " + view.status()
                    + "; only FAILED instances can be retried");
        }
        InstanceView resumed = engine.retry(id);
        return ApiResponse.json(202, new InstanceAccepted(resumed.id().key(), resumed.status().name(),
                request.trace().traceId()));
    }

    private InstanceId instanceId(ApiRequest request) {
        String workflow = request.path("workflow");
        InstanceCreation.requireWorkflowName(workflow);
        String key = request.path("key");
        if (!Names.isKey(key)) {
            throw ApiProblem.notFound("key", "instance: no instance with this key");
        }
        return new InstanceId(request.tenant(), workflow, key);
    }

    private InstanceView find(InstanceId id) {
        return engine.find(id).orElseThrow(() -> ApiProblem.notFound("key",
                "instance: no instance " + id.key() + " of workflow " + id.workflow()));
    }

    /** What {@code awaitSettled} waits for: completed and no longer working, or failed. */
    static boolean settled(InstanceView view) {
        return view.status() == InstanceStatus.FAILED || (view.completed() && view.status() != InstanceStatus.ACTIVE);
    }

    private static InstanceStatus status(String value) {
        if (value == null) {
            return null;
        }
        try {
            return InstanceStatus.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("status", "expected ACTIVE, IDLE or FAILED");
        }
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiProblem.badRequest("limit", "expected an integer from 1 to " + MAX_LIMIT);
    }
}
