package io.orrery.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orrery.api.tenant.IssuedToken;
import io.orrery.api.tenant.TenantQuota;
import io.orrery.camel.internal.NodeCamel;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.gateway.internal.http.JsonBody;
import io.orrery.gateway.internal.ingest.RequestIngestionRoute;
import io.orrery.gateway.internal.instance.InstanceRoutes;
import io.orrery.gateway.internal.tenant.StoredTenantDirectory;
import io.orrery.gateway.internal.trace.TraceRoutes;
import io.orrery.gateway.internal.ui.ViewerPageRoutes;
import io.orrery.gateway.internal.workflow.BundleRoutes;
import io.orrery.gateway.internal.workflow.WorkflowRoutes;
import io.orrery.store.JdbcStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;

/**
 * The gateway on a real Jetty (the node's Camel configuration, a free port, another one when that was taken
 * before Jetty bound it), a real H2 store, the real tenant directory, rate buckets on a real Hazelcast member
 * ({@link TestGrid}), a {@link FakeWorkflowEngine} and a {@link FakeBundleDeployer}. Tenants {@code acme} and
 * {@code beta} exist with one token each, plus an administrator token.
 */
public final class GatewayFixture implements AutoCloseable {

    public static final TenantQuota ROOMY = new TenantQuota(64 * 1024, 10_000, 10_000, 10_000);

    public final JdbcStore store;
    public final StoredTenantDirectory directory;
    public final FakeWorkflowEngine engine = new FakeWorkflowEngine();
    public final FakeBundleDeployer deployer = new FakeBundleDeployer();
    public final KeptTraces traces = new KeptTraces();
    public final FakeFunctionCatalog functions = new FakeFunctionCatalog();
    /** The node's registry as the trace subsystem keeps it; {@code /metrics} serves its exposition. */
    public final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    public final ApiServices services;
    public final CamelContext camel;
    public final int port;
    /** {@code https} when the fixture's listener has a key store. */
    public final String scheme;
    public final IssuedToken acme;
    public final IssuedToken beta;
    public final IssuedToken admin;
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayFixture(Builder b) throws Exception {
        store = JdbcStore.open("jdbc:h2:mem:gateway-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        store.migrate("gateway", GatewayFixture.class.getClassLoader());
        directory = StoredTenantDirectory.open(store.dataSource(), b.quota, b.overrides);
        acme = directory.create("acme");
        beta = directory.create("beta");
        admin = directory.issueAdminToken();
        services = new ApiServices(directory, engine, store.dataSource(), b.settings, meters,
                b.buckets != null ? b.buckets : TestGrid.freshBuckets(Clock.systemUTC()),
                b.counts != null ? b.counts : TestGrid.freshInstanceCounts(), Clock.systemUTC());
        services.setDeployer(deployer);
        services.setTracer(traces);
        services.setFunctions(functions);
        scheme = b.listener.containsKey("keystore") ? "https" : "http";
        camel = LoopbackMembers.onFreePort(p -> NodeCamel.serving(p, b.kafkaBootstrap, b.listener, routes(b)));
        port = camel.getRestConfiguration().getPort();
    }

    /** The gateway's routes, new ones each time: a route builder can be added to one context only. */
    private List<RoutesBuilder> routes(Builder b) {
        List<RoutesBuilder> routes = new ArrayList<>(List.of(new InstanceRoutes(services), new WorkflowRoutes(services),
                new BundleRoutes(services), new TraceRoutes(services, traces), new ViewerPageRoutes(),
                new io.orrery.gateway.internal.function.FunctionRoutes(services),
                new MetricsRoutes(services, meters::scrape), new HealthRoutes(services, b.health != null ? b.health
                        : io.orrery.api.health.HealthReport.EXPECTED.stream().map(GatewayFixture::up).toList())));
        if (b.kafka) {
            routes.add(new RequestIngestionRoute(services));
        }
        return routes;
    }

    private static io.orrery.api.health.HealthIndicator up(String component) {
        return new io.orrery.api.health.HealthIndicator() {
            @Override public String component() { return component; }
            @Override public io.orrery.api.health.ComponentHealth check() {
                return io.orrery.api.health.ComponentHealth.up(component, Map.of());
            }
        };
    }

    public static Builder with() {
        return new Builder();
    }

    public static GatewayFixture start() throws Exception {
        return with().start();
    }

    /** Options of the fixture. */
    public static final class Builder {
        private GatewaySettings settings = GatewaySettings.defaults().withMaxBodyBytes(16 * 1024);
        private TenantQuota quota = ROOMY;
        private final Map<String, Object> overrides = new HashMap<>();
        private final Map<String, Object> listener = new HashMap<>();
        private List<io.orrery.api.health.HealthIndicator> health;
        private String kafkaBootstrap = "127.0.0.1:1";
        private boolean kafka;
        private io.orrery.gateway.internal.http.ClusterBuckets buckets;
        private io.orrery.gateway.internal.instance.InstanceCounts counts;

        /** Instance counts shared with other gateways (by default, counts of this fixture's own). */
        public Builder instanceCounts(io.orrery.gateway.internal.instance.InstanceCounts shared) {
            counts = shared;
            return this;
        }

        /** Rate buckets shared with other gateways (by default, buckets of this fixture's own). */
        public Builder buckets(io.orrery.gateway.internal.http.ClusterBuckets shared) {
            buckets = shared;
            return this;
        }

        public Builder settings(GatewaySettings s) {
            settings = s;
            return this;
        }

        public Builder quota(TenantQuota q) {
            quota = q;
            return this;
        }

        /** A configuration property such as {@code quota.acme.requestsPerSecond}. */
        public Builder property(String key, Object value) {
            overrides.put(key, value);
            return this;
        }

        /** A property of the HTTP listener in {@code io.orrery.api} such as {@code keystore} or {@code trustedProxies}. */
        public Builder listener(String key, Object value) {
            listener.put(key, value);
            return this;
        }

        /** The health indicators {@code /health} reports (by default every expected component, all UP). */
        public Builder health(List<io.orrery.api.health.HealthIndicator> indicators) {
            health = indicators;
            return this;
        }

        public Builder kafka(String bootstrap) {
            kafkaBootstrap = bootstrap;
            kafka = true;
            return this;
        }

        public GatewayFixture start() throws Exception {
            return new GatewayFixture(this);
        }
    }

    public String url(String path) {
        return scheme + "://127.0.0.1:" + port + "/api/v1" + path;
    }

    public HttpResponse<String> get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET(), token);
    }

    public HttpResponse<String> postJson(String path, String token, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request, token);
    }

    public HttpResponse<String> post(String path, String token, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request, token);
    }

    public HttpResponse<String> send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JsonBody.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        camel.stop();
        store.close();
    }
}
