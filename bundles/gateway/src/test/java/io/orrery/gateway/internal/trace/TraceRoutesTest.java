package io.orrery.gateway.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orrery.api.trace.FailureKind;
import io.orrery.api.trace.SpanRecord;
import io.orrery.api.trace.TraceContext;
import io.orrery.gateway.internal.GatewayFixture;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TraceRoutesTest {

    private static GatewayFixture gateway;
    private static String traceId;
    /** Now, in microseconds: a tenant's spans start after it was created. */
    private static long base;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayFixture.start();
        base = now();
        gateway.engine.deploy("acme", "greeting", 1);
        TraceContext request = TraceContext.newTrace();
        traceId = request.traceId();
        TraceContext rule = request.child();
        gateway.traces.add(span(request, null, "acme", "POST /instances", base, base + 100, null));
        gateway.traces.add(span(rule, request, "acme", "rule split", base + 10, base + 20, null));
        for (int i = 0; i < 3; i++) {
            gateway.traces.add(span(rule.child(), rule, "acme", "call encode", base + 20 + i, base + 90,
                    i == 2 ? FailureKind.USER : null));
        }
        // Another tenant's span under the same trace id: acme must not see it.
        gateway.traces.add(span(request.child(), request, "beta", "beta's own", base + 30, base + 40, null));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void answersTheTenantsSpansAsATree() {
        HttpResponse<String> response = gateway.get("/tenants/acme/traces/" + traceId, gateway.acme.token());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode trace = GatewayFixture.json(response);
        assertThat(trace.path("spanCount").asInt()).isEqualTo(5);
        assertThat(trace.path("roots")).hasSize(1);
        JsonNode root = trace.path("roots").get(0);
        assertThat(root.path("name").asText()).isEqualTo("POST /instances");
        assertThat(root.path("children")).hasSize(1);
        JsonNode rule = root.path("children").get(0);
        assertThat(rule.path("name").asText()).isEqualTo("rule split");
        assertThat(rule.path("children")).hasSize(3);
        assertThat(rule.path("children").get(2).path("failure").asText()).isEqualTo("user");
        assertThat(response.body()).doesNotContain("beta's own");
    }

    @Test
    void anotherTenantGetsNotFound() {
        HttpResponse<String> onAcmesPath = gateway.get("/tenants/acme/traces/" + traceId, gateway.beta.token());
        assertThat(onAcmesPath.statusCode()).isEqualTo(404);

        HttpResponse<String> ownPath = gateway.get("/tenants/beta/traces/" + traceId, gateway.beta.token());
        assertThat(ownPath.statusCode()).isEqualTo(200);
        assertThat(GatewayFixture.json(ownPath).path("spanCount").asInt()).isEqualTo(1);
        assertThat(ownPath.body()).doesNotContain("rule split");
    }

    @Test
    void unknownAndMalformedTraceIdsAreProblems() {
        for (String id : new String[] {TraceContext.newTrace().traceId(), "not-a-trace", "%27%20or%201%3D1"}) {
            HttpResponse<String> response = gateway.get("/tenants/acme/traces/" + id, gateway.acme.token());
            assertThat(response.statusCode()).as(id).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(GatewayFixture.json(response).path("errors").get(0).path("field").asText()).isEqualTo("traceId");
        }
    }

    @Test
    void eachRequestIsASpanOfItsTenantUnderTheCallersTraceparent() {
        TraceContext caller = TraceContext.newTrace();
        HttpResponse<String> created = gateway.postJson("/tenants/acme/workflows/greeting/instances",
                gateway.acme.token(), "{\"key\":\"k-trace\",\"input\":{}}",
                "traceparent", caller.traceparent());
        // An unauthenticated request claiming the same trace must not add a span to acme's trace.
        gateway.postJson("/tenants/acme/workflows/greeting/instances", "wrong", "{}", "traceparent",
                caller.traceparent());

        HttpResponse<String> trace = gateway.get("/tenants/acme/traces/" + caller.traceId(), gateway.acme.token());

        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        assertThat(trace.statusCode()).as(trace.body()).isEqualTo(200);
        JsonNode roots = GatewayFixture.json(trace).path("roots");
        assertThat(roots).hasSize(1);
        JsonNode request = roots.get(0);
        assertThat(request.path("name").asText()).isEqualTo("POST /tenants/{tenant}/workflows/{workflow}/instances");
        assertThat(request.path("attributes").path("http.status").asText())
                .isEqualTo(Integer.toString(created.statusCode()));
        assertThat(gateway.traces.all()).filteredOn(s -> s.traceId().equals(caller.traceId()))
                .anySatisfy(s -> {
                    assertThat(s.tenant()).isEmpty();
                    assertThat(s.attributes()).containsEntry("http.status", "401");
                })
                .allSatisfy(s -> assertThat(s.parentSpanId()).isEqualTo(caller.spanId()));
    }

    @Test
    void aTraceNestedDeeperThanItsTreeShowsIsAnsweredWithEverySpan() {
        // Each request's span is a child of the caller's traceparent: a caller can chain thousands of them.
        TraceContext first = TraceContext.newTrace();
        TraceContext parent = null;
        TraceContext self = first;
        for (int i = 0; i < 5_000; i++) {
            gateway.traces.add(span(self, parent, "acme", "GET /tenants/{tenant}/functions", base + i, base + i + 1, null));
            parent = self;
            self = self.child();
        }

        HttpResponse<String> response = gateway.get("/tenants/acme/traces/" + first.traceId(), gateway.acme.token());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode trace = GatewayFixture.json(response);
        assertThat(trace.path("spanCount").asInt()).isEqualTo(5_000);
        int shown = 0;
        java.util.Deque<JsonNode> todo = new java.util.ArrayDeque<>();
        trace.path("roots").forEach(todo::add);
        while (!todo.isEmpty()) {
            shown++;
            todo.pop().path("children").forEach(todo::add);
        }
        assertThat(shown).isEqualTo(5_000);
    }

    @Test
    void aTenantCreatedUnderADeletedOnesNameIsNotServedItsTraces() throws Exception {
        gateway.directory.create("gamma");
        TraceContext old = TraceContext.newTrace();
        gateway.traces.add(span(old, null, "gamma", "POST /instances", now(), now() + 100, null));
        long spanned = System.currentTimeMillis();
        while (System.currentTimeMillis() <= spanned) {  // the new tenant is created in a later millisecond
            Thread.onSpinWait();
        }

        assertThat(gateway.directory.delete("gamma")).isTrue();
        String token = gateway.directory.create("gamma").token();
        TraceContext own = TraceContext.newTrace();
        gateway.traces.add(span(own, null, "gamma", "POST /instances", now(), now() + 100, null));

        assertThat(gateway.get("/tenants/gamma/traces/" + old.traceId(), token).statusCode())
                .as("the deleted gamma's trace").isEqualTo(404);
        HttpResponse<String> ownTrace = gateway.get("/tenants/gamma/traces/" + own.traceId(), token);
        assertThat(ownTrace.statusCode()).as(ownTrace.body()).isEqualTo(200);
        assertThat(GatewayFixture.json(ownTrace).path("spanCount").asInt()).isEqualTo(1);
    }

    @Test
    void needsAToken() {
        assertThat(gateway.get("/tenants/acme/traces/" + traceId, null).statusCode()).isEqualTo(401);
    }

    private static long now() {
        java.time.Instant t = java.time.Instant.now();
        return java.util.concurrent.TimeUnit.SECONDS.toMicros(t.getEpochSecond()) + t.getNano() / 1000;
    }

    private static SpanRecord span(TraceContext self, TraceContext parent, String tenant, String name, long start,
                                   long end, FailureKind failure) {
        return new SpanRecord(self.traceId(), self.spanId(), parent == null ? null : parent.spanId(), tenant, name,
                start, end, failure, failure == null ? null : "boom", Map.of());
    }
}
