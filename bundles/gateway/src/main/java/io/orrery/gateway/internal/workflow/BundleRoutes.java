package io.orrery.gateway.internal.workflow;


import io.orrery.api.engine.DeployReport;
import io.orrery.api.engine.DryRunReport;
import io.orrery.api.tenant.BundleDeployment;
import io.orrery.api.tenant.BundleDryRun;
import io.orrery.gateway.internal.ApiServices;
import io.orrery.gateway.internal.http.ApiHandler;
import io.orrery.gateway.internal.http.ApiProblem;
import io.orrery.gateway.internal.http.ApiRequest;
import io.orrery.gateway.internal.http.ApiResponse;
import io.orrery.gateway.internal.http.ApiRouteBuilder;
import io.orrery.gateway.internal.http.EndpointSpec;
import io.orrery.gateway.internal.http.MediaTypes;
import io.orrery.gateway.internal.http.RestDocs;
import io.orrery.gateway.schema.BundleDeployed;
import io.orrery.gateway.schema.BundleUndeployed;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.model.rest.RestDefinition;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenant bundle upload ({@code POST /tenants/{t}/bundles}, 201) and its dry run. The body is the compiled jar,
 * at most the tenant's {@code maxBundleBytes}; installing it is the engine's tenant bundle extender's job, which
 * also checks that the bundle's {@code Orrery-Tenant} is this tenant (422 with the reason otherwise).
 */
@Component(service = RoutesBuilder.class, scope = ServiceScope.PROTOTYPE)
public class BundleRoutes extends ApiRouteBuilder {

    static final String BUNDLES = "/tenants/{tenant}/bundles";
    static final EndpointSpec DEPLOY = EndpointSpec.of("bundle-deploy", BUNDLES);
    static final EndpointSpec DRY_RUN = EndpointSpec.of("bundle-dry-run", BUNDLES + "/dry-run");
    static final EndpointSpec UNDEPLOY = EndpointSpec.of("bundle-undeploy", BUNDLES + "/{symbolicName}");

    private static final Logger LOG = LoggerFactory.getLogger(BundleRoutes.class);
    private static final String JAR = "application/java-archive";

    private final ApiServices services;

    @Activate
    public BundleRoutes(@Reference ApiServices services) {
        super(services.gate(), services.metrics());
        this.services = services;
    }

    @Override
    protected void routes() {
        RestDocs docs = new RestDocs(getContext());
        RestDefinition rest = authenticatedRest(BUNDLES, "bundles");

        RestDefinition deploy = rest.post().id(DEPLOY.id()).consumes(JAR).produces(JSON)
                .description("Uploads a tenant bundle built with the Emirax Maven plugin and deploys its workflows "
                        + "without restart; existing instances are re-evaluated with the new rules.");
        deploy = docs.bodyParam(docs.traced(docs.tenantScoped(deploy)), byte[].class, "The bundle: a jar whose "
                + "manifest names this tenant in Orrery-Tenant, at most the tenant's maxBundleBytes");
        deploy = docs.answer(deploy, 201, "Deployed: the bundle and, per workflow, the instances re-evaluated and "
                + "the rules fired on them", BundleDeployed.class);
        deploy = docs.problem(docs.problem(deploy, 413, "Bundle over the tenant's maxBundleBytes"), 415, "Not a jar");
        docs.problem(deploy, 422, "Rejected: errors[].field and detail say what is wrong; the previous version "
                + "keeps serving").to(direct(DEPLOY));

        RestDefinition dryRun = rest.post("/dry-run").id(DRY_RUN.id()).consumes(JAR).produces(JSON)
                .description("What deploying this bundle would fire on existing instances, without deploying it.");
        dryRun = docs.bodyParam(docs.tenantScoped(dryRun), byte[].class, "The bundle (jar)");
        dryRun = docs.answer(dryRun, 200, "Per workflow, the rules that would fire and on how many instances",
                io.orrery.gateway.schema.BundleDryRun.class);
        dryRun = docs.problem(docs.problem(dryRun, 413, "Bundle over the tenant's maxBundleBytes"), 415, "Not a jar");
        docs.problem(dryRun, 422, "The bundle could not be loaded; the detail says why").to(direct(DRY_RUN));

        RestDefinition undeploy = rest.delete("/{symbolicName}").id(UNDEPLOY.id()).produces(JSON)
                .description("Undeploys the tenant's uploaded bundle of that symbolic name from every node; its "
                        + "instances stay stored for a later deploy.");
        undeploy = docs.answer(docs.traced(docs.tenantScoped(undeploy)), 200, "Undeployed on every node",
                BundleUndeployed.class);
        docs.problem(undeploy, 404, "The tenant has no uploaded bundle of that name").to(direct(UNDEPLOY));

        endpoint(DEPLOY, ApiHandler.immediate(this::deploy));
        endpoint(UNDEPLOY, ApiHandler.immediate(this::undeploy));
        endpoint(DRY_RUN, ApiHandler.immediate(this::dryRun));
    }

    private ApiResponse deploy(ApiRequest request) {
        byte[] jar = jar(request);
        BundleDeployment deployment = services.deployer().deploy(request.tenant(), jar);
        LOG.info("Bundle {} {} deployed for tenant {} by {}", deployment.symbolicName(), deployment.version(),
                request.tenant(), request.principal().name());
        return ApiResponse.json(201, new BundleDeployed(request.tenant(),
                new BundleDeployed.BundleInfo(deployment.bundleId(), deployment.symbolicName(), deployment.version()),
                deployment.workflows().stream().map(BundleRoutes::deployed).toList()));
    }

    private ApiResponse undeploy(ApiRequest request) {
        String name = request.path("symbolicName");
        if (!services.deployer().undeploy(request.tenant(), name)) {
            throw ApiProblem.notFound("symbolicName", "symbolicName: tenant " + request.tenant()
                    + " has no uploaded bundle of that name");
        }
        LOG.info("Bundle {} undeployed for tenant {} by {}", name, request.tenant(), request.principal().name());
        return ApiResponse.json(200, new BundleUndeployed(request.tenant(), name, true));
    }

    private ApiResponse dryRun(ApiRequest request) {
        BundleDryRun dryRun = services.deployer().dryRun(request.tenant(), jar(request));
        return ApiResponse.json(200, new io.orrery.gateway.schema.BundleDryRun(request.tenant(), dryRun.symbolicName(),
                dryRun.version(), dryRun.workflows().stream().map(BundleRoutes::wouldFire).toList()));
    }

    /** The uploaded jar, checked for size and for being a zip at all before the extender sees it. */
    private byte[] jar(ApiRequest request) {
        MediaTypes.requireArchive(request.contentType());
        long limit = services.directory().quota(request.tenant()).maxBundleBytes();
        byte[] jar = request.body(limit, "body");
        if (jar.length == 0) {
            throw ApiProblem.badRequest("body", "the bundle (a jar) is required as the body");
        }
        if (jar.length < 4 || jar[0] != 'P' || jar[1] != 'K' || jar[2] != 3 || jar[3] != 4) {
            throw ApiProblem.badRequest("body", "not a jar: a bundle is a zip file starting with PK\\3\\4");
        }
        return jar;
    }

    private static BundleDeployed.DeployedWorkflow deployed(DeployReport report) {
        return new BundleDeployed.DeployedWorkflow(report.workflow(), report.version(), report.previousVersion(),
                report.reevaluated(), report.fired());
    }

    private static io.orrery.gateway.schema.BundleDryRun.DryRunWorkflow wouldFire(DryRunReport report) {
        return new io.orrery.gateway.schema.BundleDryRun.DryRunWorkflow(report.workflow(), report.fromVersion(),
                report.toVersion(), report.instances(), report.wouldFire(), report.matchErrors());
    }
}
