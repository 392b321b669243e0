package io.orrery.gateway.internal.instance;

import static io.orrery.gateway.internal.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.orrery.api.engine.InputField;
import io.orrery.api.engine.InstanceId;
import io.orrery.gateway.internal.FakeWorkflowEngine;
import io.orrery.gateway.internal.GatewayFixture;
import io.orrery.gateway.internal.RawHttp;
import io.orrery.gateway.internal.http.JsonBody;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InstanceRoutesTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String ENCODE = "/tenants/acme/workflows/encode/instances";
    private static final String MEASURE = "/tenants/acme/workflows/measure/instances";

    private static GatewayFixture gateway;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayFixture.start();
        token = gateway.acme.token();
        gateway.engine.deploy("acme", "encode", 3,
                new InputField("source", String.class, true, null),
                new InputField("chunks", Integer.class, false, 31));
        gateway.engine.deploy("acme", "paged", 1).deploy("acme", "crowd", 1);
        gateway.engine.deploy("acme", "measure", 1,
                new InputField("frames", Long.class, false, null),
                new InputField("ratio", Double.class, false, null),
                new InputField("exact", BigDecimal.class, false, null),
                new InputField("meta", Map.class, false, null));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void createAnswers202WithTheKeyStatusAndTheCallersTraceId() {
        HttpResponse<String> response = gateway.postJson(ENCODE, token,
                "{\"key\":\"video-1\",\"input\":{\"source\":\"s3://a.mov\"},\"priority\":7}",
                "traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = json(response);
        assertThat(body.path("key").asText()).isEqualTo("video-1");
        assertThat(body.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(body.path("traceId").asText()).isEqualTo(TRACE_ID);
        assertThat(response.headers().firstValue("traceparent")).hasValueSatisfying(
                v -> assertThat(v).startsWith("00-" + TRACE_ID + "-").doesNotContain("00f067aa0ba902b7"));
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1" + ENCODE + "/video-1");

        FakeWorkflowEngine.Submission submitted = gateway.engine.submissions.stream()
                .filter(s -> "video-1".equals(s.request().key())).findFirst().orElseThrow();
        assertThat(submitted.request().priority()).isEqualTo(7);
        assertThat(submitted.request().trace().traceId()).isEqualTo(TRACE_ID);
        assertThat(submitted.request().input()).containsEntry("source", "s3://a.mov");
    }

    @Test
    void createWithoutAKeyGetsAGeneratedOneAndANewTrace() {
        HttpResponse<String> response = gateway.postJson(ENCODE, token, "{\"input\":{\"source\":\"s3://b.mov\"}}");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response).path("key").asText()).matches("[0-9a-f-]{36}");
        assertThat(json(response).path("traceId").asText()).matches("[0-9a-f]{32}")
                .isEqualTo(response.headers().firstValue("traceparent").orElseThrow().substring(3, 35));
    }

    @Test
    void anIdempotencyKeyReplaysTheFirstAnswerAndRefusesADifferentRequest() {
        String body = "{\"input\":{\"source\":\"s3://idem.mov\"}}";
        HttpResponse<String> first = gateway.postJson(ENCODE, token, body, "Idempotency-Key", "order-77");
        HttpResponse<String> again = gateway.postJson(ENCODE, token, " {\"input\" : {\"source\":\"s3://idem.mov\"}} ",
                "Idempotency-Key", "order-77");
        HttpResponse<String> different = gateway.postJson(ENCODE, token, "{\"input\":{\"source\":\"s3://other.mov\"}}",
                "Idempotency-Key", "order-77");

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json(again).path("key").asText()).isEqualTo(json(first).path("key").asText());
        assertThat(json(again).path("traceId").asText()).isEqualTo(json(first).path("traceId").asText());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(gateway.engine.submissions).filteredOn(s -> "s3://idem.mov".equals(s.request().input().get("source")))
                .hasSize(1);
        assertThat(different.statusCode()).isEqualTo(422);
        assertThat(json(different).path("errors").get(0).path("field").asText()).isEqualTo("Idempotency-Key");
    }

    @Test
    void aFailedRequestDoesNotUseUpItsIdempotencyKey() {
        HttpResponse<String> bad = gateway.postJson(ENCODE, token, "{\"input\":{\"source\":42}}", "Idempotency-Key", "fix-me");
        HttpResponse<String> fixed = gateway.postJson(ENCODE, token, "{\"input\":{\"source\":\"s3://fixed\"}}",
                "Idempotency-Key", "fix-me");

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(fixed.statusCode()).isEqualTo(202);
    }

    @Test
    void malformedJsonIsA400NamingThePosition() {
        HttpResponse<String> response = gateway.postJson(ENCODE, token, "{\"input\": {\"source\": \"x\",}}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.path("detail").asText()).startsWith("malformed JSON at line 1, column 26");
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("body");
        assertThat(problem.path("traceId").asText()).matches("[0-9a-f]{32}");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void wrongTypesAndUnknownMembersAre400sNamingTheField() {
        assertThat(fieldOf(gateway.postJson(ENCODE, token, "{\"input\":{\"source\":\"x\"},\"priority\":\"high\"}")))
                .isEqualTo("priority");
        assertThat(fieldOf(gateway.postJson(ENCODE, token, "{\"input\":{\"source\":\"x\"},\"priority\":12}")))
                .isEqualTo("priority");
        assertThat(fieldOf(gateway.postJson(ENCODE, token, "{\"input\":{\"source\":\"x\"},\"key\":42}"))).isEqualTo("key");
        assertThat(fieldOf(gateway.postJson(ENCODE, token, "{\"input\":{\"source\":\"x\"},\"key\":\"a/b\"}"))).isEqualTo("key");
        assertThat(fieldOf(gateway.postJson(ENCODE, token, "{\"input\":[1,2]}"))).isEqualTo("input");
        assertThat(fieldOf(gateway.postJson(ENCODE, token, "{\"inputs\":{}}"))).isEqualTo("inputs");
        assertThat(fieldOf(gateway.postJson(ENCODE, token, "[]"))).isEqualTo("body");
        assertThat(fieldOf(gateway.postJson(ENCODE, token, ""))).isEqualTo("body");
        assertThat(fieldOf(gateway.postJson(ENCODE, token, "{\"input\":{\"source\":7}}"))).isEqualTo("input.source");
        assertThat(fieldOf(gateway.postJson(ENCODE, token, "{\"input\":{\"chunks\":1.5,\"source\":\"x\"}}")))
                .isEqualTo("input.chunks");
        assertThat(fieldOf(gateway.postJson(ENCODE, token, "{\"input\":{}}"))).isEqualTo("input.source");
        assertThat(fieldOf(gateway.postJson(ENCODE, token, "{\"input\":{\"source\":\"x\",\"colour\":1}}")))
                .isEqualTo("input.colour");
    }

    @Test
    void aNumberBeyondADoublesRangeIsA400NamingTheInputField() {
        for (String number : List.of("1e400", "-1e400")) {
            HttpResponse<String> response = gateway.postJson(ENCODE, token,
                    "{\"input\":{\"source\":\"s\",\"chunks\":" + number + "}}");

            assertThat(fieldOf(response)).isEqualTo("input.chunks");
            assertThat(json(response).path("detail").asText()).startsWith("input.chunks: ").doesNotContain("Character");
        }
        for (String field : List.of("frames", "ratio", "exact")) {
            assertThat(fieldOf(gateway.postJson(MEASURE, token, "{\"input\":{\"" + field + "\":-1e400}}")))
                    .isEqualTo("input." + field);
        }
        assertThat(fieldOf(gateway.postJson(MEASURE, token, "{\"input\":{\"meta\":{\"a\":[1,1e400]}}}")))
                .isEqualTo("input.meta");
        // NaN is no JSON number at all: the body is malformed
        assertThat(fieldOf(gateway.postJson(ENCODE, token, "{\"input\":{\"source\":\"s\",\"chunks\":NaN}}")))
                .isEqualTo("body");
    }

    @Test
    void anUnknownWorkflowIs404() {
        HttpResponse<String> response = gateway.postJson("/tenants/acme/workflows/nope/instances", token, "{\"input\":{}}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).path("errors").get(0).path("field").asText()).isEqualTo("workflow");
    }

    @Test
    void bodiesOverTheLimitAre413WhetherDeclaredOrStreamed() {
        String big = "{\"input\":{\"source\":\"" + "x".repeat(20_000) + "\"}}";
        HttpResponse<String> declared = gateway.postJson(ENCODE, token, big);
        HttpResponse<String> chunked = gateway.send(HttpRequest.newBuilder(URI.create(gateway.url(ENCODE)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))), token);

        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(json(declared).path("errors").get(0).path("field").asText()).isEqualTo("body");
        assertThat(chunked.statusCode()).isEqualTo(413);
    }

    @Test
    void aBodyEndingBeforeItsDeclaredLengthIsA400NamingTheBody() throws Exception {
        byte[] body = "{\"input\":{\"source\":\"s3://cut\"}}".getBytes(StandardCharsets.US_ASCII);
        String head = "POST /api/v1" + ENCODE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + (body.length + 40) + "\r\n\r\n";

        RawHttp.Answer answer = RawHttp.send(gateway.port, head.getBytes(StandardCharsets.ISO_8859_1), body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        JsonNode problem = JsonBody.MAPPER.readTree(answer.body());
        assertThat(problem.path("errors").path(0).path("field").asText()).isEqualTo("body");
    }

    @Test
    void anAnswerTooDeeplyNestedToWriteIsAnInternalErrorNotTheCallersFault() {
        gateway.postJson(ENCODE, token, "{\"key\":\"deep\",\"input\":{\"source\":\"s3://deep\"}}");
        gateway.engine.complete(new InstanceId("acme", "encode", "deep"), nested(1100));

        HttpResponse<String> response = gateway.get(ENCODE + "/deep", token);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.path("type").asText()).isEqualTo("urn:orrery:problem:internal");
        assertThat(problem.path("detail").asText())
                .matches("the server failed to answer; quote error id [0-9a-f-]{36}");
        assertThat(problem.path("errors").isEmpty()).isTrue();
    }

    /** An output of {@code depth} objects, each inside the next. */
    private static Map<String, Object> nested(int depth) {
        Map<String, Object> outer = new HashMap<>();
        Map<String, Object> inner = outer;
        for (int i = 1; i < depth; i++) {
            Map<String, Object> next = new HashMap<>();
            inner.put("in", next);
            inner = next;
        }
        return outer;
    }

    @Test
    void anotherMediaTypeIs415() {
        HttpResponse<String> response = gateway.post(ENCODE, token, "text/plain", "{\"input\":{}}".getBytes());
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(fieldOf(response)).isEqualTo("Content-Type");
    }

    @Test
    void showAnswersTheInstanceOr404() {
        gateway.postJson(ENCODE, token, "{\"key\":\"shown\",\"input\":{\"source\":\"s3://c\"}}");

        HttpResponse<String> shown = gateway.get(ENCODE + "/shown", token);
        HttpResponse<String> missing = gateway.get(ENCODE + "/nothing-here", token);

        assertThat(shown.statusCode()).isEqualTo(200);
        JsonNode doc = json(shown);
        assertThat(doc.path("key").asText()).isEqualTo("shown");
        assertThat(doc.path("version").asInt()).isEqualTo(3);
        assertThat(doc.path("input").path("chunks").asInt()).isEqualTo(31);
        assertThat(doc.path("completed").asBoolean()).isFalse();
        assertThat(doc.has("pending")).isTrue();
        assertThat(doc.has("recentFirings")).isTrue();
        assertThat(doc.path("traceId").asText()).matches("[0-9a-f]{32}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(gateway.get(ENCODE + "/shown?wait=soon", token).statusCode()).isEqualTo(400);
        assertThat(gateway.get(ENCODE + "/shown?colour=red", token).statusCode()).isEqualTo(400);
    }

    @Test
    void aLongPollAnswersAsSoonAsTheInstanceCompletes() {
        gateway.postJson(ENCODE, token, "{\"key\":\"polled\",\"input\":{\"source\":\"s3://d\"}}");
        InstanceId id = new InstanceId("acme", "encode", "polled");
        Thread completer = new Thread(() -> {
            await().until(() -> gateway.engine.waiting() > 0);
            gateway.engine.complete(id, Map.of("uri", "s3://out/d.mp4"));
        });
        completer.start();

        long start = System.nanoTime();
        HttpResponse<String> response = gateway.get(ENCODE + "/polled?wait=20s", token);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("completed").asBoolean()).isTrue();
        assertThat(json(response).path("output").path("uri").asText()).isEqualTo("s3://out/d.mp4");
        assertThat(elapsedMs).isLessThan(5_000);
    }

    @Test
    void aLongPollThatTimesOutAnswersTheCurrentView() {
        gateway.postJson(ENCODE, token, "{\"key\":\"slow\",\"input\":{\"source\":\"s3://e\"}}");

        long start = System.nanoTime();
        HttpResponse<String> response = gateway.get(ENCODE + "/slow?wait=700ms", token);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("completed").asBoolean()).isFalse();
        assertThat(json(response).path("status").asText()).isEqualTo("ACTIVE");
        assertThat(elapsedMs).isBetween(650L, 5_000L);
    }

    @Test
    void listsPageByCursorAndFilterByStatus() {
        for (int i = 0; i < 5; i++) {
            gateway.postJson("/tenants/acme/workflows/paged/instances", token, "{\"key\":\"k" + i + "\",\"input\":{}}");
        }
        gateway.engine.fail(new InstanceId("acme", "paged", "k3"), "boom");

        JsonNode first = json(gateway.get("/tenants/acme/workflows/paged/instances?limit=2", token));
        JsonNode second = json(gateway.get("/tenants/acme/workflows/paged/instances?limit=2&cursor="
                + first.path("next").asText(), token));
        JsonNode failed = json(gateway.get("/tenants/acme/workflows/paged/instances?status=failed", token));

        assertThat(first.path("items").findValuesAsText("key")).containsExactly("k0", "k1");
        assertThat(second.path("items").findValuesAsText("key")).containsExactly("k2", "k3");
        assertThat(failed.path("items").findValuesAsText("key")).containsExactly("k3");
        assertThat(failed.path("items").get(0).path("failure").asText()).isEqualTo("boom");
        assertThat(failed.path("next").isNull()).isTrue();
        assertThat(fieldOf(gateway.get("/tenants/acme/workflows/paged/instances?limit=500", token))).isEqualTo("limit");
        assertThat(fieldOf(gateway.get("/tenants/acme/workflows/paged/instances?status=DONE", token))).isEqualTo("status");
        assertThat(fieldOf(gateway.get("/tenants/acme/workflows/paged/instances?cursor=zzz", token))).isEqualTo("cursor");
        assertThat(gateway.get("/tenants/acme/workflows/undeployed/instances", token).statusCode()).isEqualTo(404);
    }

    @Test
    void retryResumesAFailedInstanceAndRefusesOthers() {
        gateway.postJson(ENCODE, token, "{\"key\":\"flaky\",\"input\":{\"source\":\"s3://f\"}}");
        InstanceId id = new InstanceId("acme", "encode", "flaky");

        HttpResponse<String> notFailed = gateway.postJson(ENCODE + "/flaky/retry", token, "");
        gateway.engine.fail(id, "split failed");
        HttpResponse<String> retried = gateway.postJson(ENCODE + "/flaky/retry", token, "");

        assertThat(notFailed.statusCode()).isEqualTo(409);
        assertThat(fieldOf(notFailed)).isEqualTo("status");
        assertThat(retried.statusCode()).isEqualTo(202);
        assertThat(json(retried).path("status").asText()).isEqualTo("ACTIVE");
        assertThat(gateway.postJson(ENCODE + "/ghost/retry", token, "").statusCode()).isEqualTo(404);
    }

    @Test
    void waitingLongPollsHoldNoThreadEach() throws Exception {
        int waiters = 300;
        for (int i = 0; i < waiters; i++) {
            gateway.postJson("/tenants/acme/workflows/crowd/instances", token, "{\"key\":\"w" + i + "\",\"input\":{}}");
        }
        var pending = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < waiters; i++) {
            pending.add(gateway.http.sendAsync(HttpRequest.newBuilder(URI.create(gateway.url(
                    "/tenants/acme/workflows/crowd/instances/w" + i + "?wait=25s")))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.engine.waiting() >= waiters);

        long start = System.nanoTime();
        HttpResponse<String> meanwhile = gateway.get("/tenants/acme/workflows", token);
        long meanwhileMs = (System.nanoTime() - start) / 1_000_000;
        for (int i = 0; i < waiters; i++) {
            gateway.engine.complete(new InstanceId("acme", "crowd", "w" + i), Map.of("n", i));
        }

        assertThat(meanwhile.statusCode()).isEqualTo(200);
        assertThat(meanwhileMs).isLessThan(2_000);
        for (var response : pending) {
            assertThat(response.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    private static String fieldOf(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        return json(response).path("errors").path(0).path("field").asText();
    }
}
