package io.orrery.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.orrery.api.engine.InputField;
import io.orrery.api.engine.InstanceId;
import io.orrery.gateway.internal.http.JsonBody;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sends thousands of malformed, truncated, oversized and wrong-typed requests at every endpoint (seeded, so every
 * run sends the same ones) and checks that none is answered with a 5xx, and that every answer the gateway itself
 * gives to a bad request is a problem document with the same status.
 */
class ApiFuzzTest {

    private static final long SEED = 20260522L;
    private static final int REQUESTS = 3_200;

    private static final String[][] ENDPOINTS = {
            {"POST", "/tenants/{t}/workflows/{w}/instances"},
            {"GET", "/tenants/{t}/workflows/{w}/instances/{k}"},
            {"GET", "/tenants/{t}/workflows/{w}/instances"},
            {"POST", "/tenants/{t}/workflows/{w}/instances/{k}/retry"},
            {"GET", "/tenants/{t}/workflows"},
            {"POST", "/tenants/{t}/bundles"},
            {"POST", "/tenants/{t}/bundles/dry-run"},
            {"DELETE", "/tenants/{t}/bundles/{b}"},
            {"GET", "/tenants/{t}/traces/{x}"},
            {"GET", "/tenants/{t}/functions"},
            {"GET", "/metrics"},
            {"GET", "/health"},
            {"GET", "/openapi.json"},
    };
    private static final String[] TENANTS = {"acme", "acme", "acme", "acme", "acme", "acme", "beta", "nobody", "ACME", "a%2Fb", "%00", "%C3%A9",
            "x".repeat(300), "acme%20", "..", "-"};
    private static final String[] WORKFLOWS = {"encode", "encode", "encode", "encode", "encode", "nope", "%25", "x".repeat(150), "..",
            "enc%0Aode", "%F0%9F%98%80", "encode;drop"};
    private static final String[] KEYS = {"k1", "k1", "missing", "a%3Bb", "%FF", "x".repeat(500), "a+b", "%2e%2e", "~"};
    private static final String[] TRACE_IDS = {"0af7651916cd43dd8448eb211c80319c", "0".repeat(32), "xyz", "%00",
            "ABCDEF0123456789ABCDEF0123456789", "f".repeat(31), "f".repeat(33), "f".repeat(5_000), "%2e%2e",
            "0af7651916cd43dd8448eb211c80319c%20", "\u00e9".repeat(16)};
    private static final String[] BUNDLES = {"fuzz", "acme.fuzz", "missing", "%00", "a/b", "x".repeat(400), "..",
            "fuzz;version=1", "*"};
    private static final String[] QUERIES = {"", "", "", "", "", "", "", "", "?wait=5s", "?wait=100ms", "?wait=soon", "?wait=9999999m",
            "?wait=-1", "?limit=0", "?limit=abc", "?limit=99999999999", "?status=bogus", "?status=failed",
            "?cursor=%%%", "?cursor=bzotMQ", "?cursor=" + "A".repeat(2000), "?a=%zz", "?a=%", "?colour=red", "?limit=1&limit=2",
            "?wait=1s&wait=2s", "?Authorization=Bearer%20x", "?access_token=abc", "?%C3%28=1", "?=", "?&&&", "?status=ACTIVE&limit=1"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json", "application/json",
            "application/json; charset=utf-8", "application/json; charset=nonexistent", "application/json; charset=\"",
            "application/json; charset=utf-16", "text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=zzz", "multipart/form-data", "application/java-archive",
            "application/octet-stream", "application/x-java-serialized-object", "/////", "application/merge-patch+json",
            null};

    private static final String[] ASPECTS = {"tenant", "workflow", "key", "query", "token", "contentType", "body",
            "body", "body", "length", "headers", "method"};
    private static final String[] METHODS = {"PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "BREW"};

    private static GatewayFixture gateway;
    private static String acme;
    private static String keptTrace;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayFixture.with()
                .settings(GatewaySettings.defaults().withMaxBodyBytes(16 * 1024).withMaxWait(Duration.ofMillis(150)))
                .start();
        acme = gateway.acme.token();
        gateway.engine.deploy("acme", "encode", 1,
                new InputField("source", String.class, true, null),
                new InputField("chunks", Integer.class, false, 31),
                new InputField("meta", java.util.Map.class, false, null));
        gateway.postJson("/tenants/acme/workflows/encode/instances", acme, "{\"key\":\"k1\",\"input\":{\"source\":\"s\"}}");
        gateway.engine.fail(new InstanceId("acme", "encode", "k1"), "fuzzed");
        keptTrace = gateway.traces.all().get(0).traceId();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void noRequestGetsA5xxAndEveryGatewayProblemIsWellFormed() throws Exception {
        Random random = new Random(SEED);
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Set<Integer>> byEndpoint = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int problemDocuments = 0;
        for (int i = 0; i < REQUESTS; i++) {
            String[] endpoint = ENDPOINTS[random.nextInt(ENDPOINTS.length)];
            Request request = request(random, endpoint);
            RawHttp.Answer answer = RawHttp.send(gateway.port, request.head(), request.body());
            statuses.merge(answer.status(), 1, Integer::sum);
            byEndpoint.computeIfAbsent(endpoint[0] + " " + endpoint[1], e -> new TreeSet<>()).add(answer.status());
            if (answer.status() >= 500 || answer.status() == 0) {
                failures.add(answer.status() + " for " + request.describe() + " -> " + clip(answer.body()));
            } else if ("application/problem+json".equals(answer.header("Content-Type"))
                    && !request.describe().startsWith("HEAD ")) {
                // An answer to HEAD has the headers of the problem document and, by definition, no body.
                problemDocuments++;
                checkProblem(answer, request, failures);
            }
        }
        System.out.printf("ApiFuzzTest: %d requests, statuses %s, %d problem documents, by endpoint %s%n", REQUESTS,
                statuses, problemDocuments, byEndpoint);

        assertThat(failures).as("answers with 5xx or none").isEmpty();
        assertThat(statuses.keySet()).contains(200, 201, 202, 400, 401, 404, 405, 409, 413, 415, 422);
        assertThat(problemDocuments).isGreaterThan(REQUESTS / 3);
        // each endpoint was reached with something it took and something it refused, not only turned away early
        assertThat(byEndpoint).hasSize(ENDPOINTS.length).allSatisfy((endpoint, seen) -> assertThat(seen)
                .as(endpoint).anyMatch(s -> s / 100 == 2).anyMatch(s -> s / 100 == 4));
    }

    private static void checkProblem(RawHttp.Answer answer, Request request, List<String> failures) {
        try {
            JsonNode problem = JsonBody.MAPPER.readTree(answer.body());
            boolean wellFormed = problem.path("status").asInt() == answer.status()
                    && problem.path("type").asText().startsWith("urn:orrery:problem:")
                    && !problem.path("title").asText().isEmpty() && !problem.path("detail").asText().isEmpty()
                    && !answer.body().contains("\tat ") && !answer.body().contains("Exception");
            if (!wellFormed) {
                failures.add("bad problem for " + request.describe() + " -> " + clip(answer.body()));
            }
        } catch (Exception e) {
            failures.add("unparsable problem for " + request.describe() + " -> " + clip(answer.body()));
        }
    }

    record Request(String describe, byte[] head, byte[] body) { }

    /**
     * A valid request for the endpoint with one to three of its parts replaced by something from the pools above:
     * so that every check, from the URI to the last input field, meets bad input.
     */
    private static Request request(Random random, String[] endpoint) {
        boolean bundle = endpoint[1].contains("bundles");
        Set<String> mutated = new HashSet<>();
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            mutated.add(pick(random, ASPECTS));
        }
        String path = "/api/v1" + endpoint[1]
                .replace("{t}", mutated.contains("tenant") ? pick(random, TENANTS) : "acme")
                .replace("{w}", mutated.contains("workflow") ? pick(random, WORKFLOWS) : "encode")
                .replace("{k}", mutated.contains("key") ? pick(random, KEYS) : "k1")
                .replace("{x}", mutated.contains("key") ? pick(random, TRACE_IDS) : keptTrace)
                .replace("{b}", mutated.contains("key") ? pick(random, BUNDLES) : "fuzz")
                + (mutated.contains("query") ? pick(random, QUERIES) : "");
        boolean post = endpoint[0].equals("POST") ^ mutated.contains("method");
        byte[] body = !post ? (mutated.contains("body") ? garbage(random, 64) : null)
                : mutated.contains("body") ? body(random, endpoint[1]) : valid(bundle);
        String method = mutated.contains("method") && random.nextInt(4) == 0 ? pick(random, METHODS)
                : post ? "POST" : mutated.contains("method") || endpoint[0].equals("POST") ? "GET" : endpoint[0];
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: 127.0.0.1\r\nConnection: close\r\n");
        if (mutated.contains("token")) {
            authorization(random, head);
        } else {
            head.append("Authorization: Bearer ").append(acme).append("\r\n");
        }
        String contentType = mutated.contains("contentType") ? pick(random, CONTENT_TYPES)
                : bundle ? "application/java-archive" : "application/json";
        if (body != null && contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null) {
            if (mutated.contains("length")) {
                length(random, head, body.length);
            } else {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
        }
        if (mutated.contains("headers")) {
            extraHeaders(random, head);
        }
        head.append("\r\n");
        String describe = head.toString().split("\r\n")[0] + " " + mutated + " [" + contentType + ", "
                + (body == null ? "no body" : body.length + " bytes") + "]";
        return new Request(describe, head.toString().getBytes(StandardCharsets.ISO_8859_1), body);
    }

    private static byte[] valid(boolean bundle) {
        return bundle ? FakeBundleDeployer.bundle("acme", "fuzz", "w")
                : "{\"key\":\"k1\",\"input\":{\"source\":\"s3://x\"},\"priority\":5}".getBytes(StandardCharsets.US_ASCII);
    }

    private static void authorization(Random random, StringBuilder head) {
        switch (random.nextInt(16)) {
            case 0 -> { }
            case 1 -> head.append("Authorization: Bearer ").append(gateway.beta.token()).append("\r\n");
            case 2 -> head.append("Authorization: Bearer ").append(gateway.admin.token()).append("\r\n");
            case 3 -> head.append("Authorization: Bearer orr_").append("A".repeat(43)).append("\r\n");
            case 4 -> head.append("Authorization: Basic YTpi\r\n");
            case 5 -> head.append("Authorization: Bearer\r\n");
            case 6 -> head.append("Authorization: Bearer ").append(acme).append("\r\nAuthorization: Bearer x\r\n");
            case 7 -> head.append("Authorization: bearer   ").append(acme).append("   \r\n");
            default -> head.append("Authorization: Bearer ").append(acme).append("\r\n");
        }
    }

    private static void length(Random random, StringBuilder head, int actual) {
        switch (random.nextInt(14)) {
            case 0 -> head.append("Content-Length: ").append(actual + 1 + random.nextInt(100)).append("\r\n");
            case 1 -> head.append("Transfer-Encoding: chunked\r\n");
            case 2 -> head.append("Content-Length: ").append(6_000_000).append("\r\n");
            default -> head.append("Content-Length: ").append(actual).append("\r\n");
        }
    }

    private static void extraHeaders(Random random, StringBuilder head) {
        switch (random.nextInt(10)) {
            case 0 -> head.append("Idempotency-Key: ").append("k-").append(random.nextInt(5)).append("\r\n");
            case 1 -> head.append("Idempotency-Key: with spaces and \u00e9\r\n");
            case 2 -> head.append("Idempotency-Key: a\r\nIdempotency-Key: b\r\n");
            case 3 -> head.append("traceparent: 00-zzzz-yyyy-01\r\n");
            case 4 -> head.append("traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n");
            case 5 -> head.append("Idempotency-Key: ").append("i".repeat(400)).append("\r\n");
            case 6 -> head.append("Content-Encoding: gzip\r\n");
            case 7 -> head.append("X-Forwarded-Host: evil.example\r\n");
            default -> { }
        }
    }

    private static byte[] body(Random random, String endpoint) {
        if (endpoint.contains("bundles") && random.nextInt(3) == 0) {
            byte[] jar = FakeBundleDeployer.bundle(random.nextBoolean() ? "acme" : "beta", "fuzz", "w");
            return random.nextBoolean() ? jar : java.util.Arrays.copyOf(jar, random.nextInt(jar.length));
        }
        return switch (random.nextInt(18)) {
            case 16, 17 -> ("{\"input\":{\"source\":\"" + "z".repeat(17_000 + random.nextInt(30_000)) + "\"}}")
                    .getBytes(StandardCharsets.US_ASCII);
            case 0 -> ("{\"key\":\"k" + random.nextInt(3) + "\",\"input\":{\"source\":\"s3://x\"},\"priority\":"
                    + random.nextInt(10) + "}").getBytes(StandardCharsets.US_ASCII);
            case 1 -> truncate(random, "{\"key\":\"k1\",\"input\":{\"source\":\"s3://x\",\"meta\":{\"a\":[1,2,{\"b\":null}]}}}");
            case 2 -> garbage(random, 1 + random.nextInt(400));
            case 3 -> "[".repeat(5_000).getBytes(StandardCharsets.US_ASCII);
            case 4 -> ("{\"input\":{\"source\":\"x\",\"chunks\":" + "9".repeat(2_000) + "}}").getBytes(StandardCharsets.US_ASCII);
            case 5 -> wrongType(random);
            case 6 -> "{\"input\":{\"source\":\"a\"},\"input\":{}}".getBytes(StandardCharsets.US_ASCII);
            case 7 -> ("{\"input\":{\"source\":\"" + "y".repeat(20_000 + random.nextInt(60_000)) + "\"}}").getBytes(StandardCharsets.US_ASCII);
            case 8 -> new byte[0];
            case 9 -> new byte[] {'{', '"', 'i', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
            case 10 -> "{\"input\":{\"source\":\"x\"}} trailing".getBytes(StandardCharsets.US_ASCII);
            case 11 -> "a=1&b=%zz&c".getBytes(StandardCharsets.US_ASCII);
            case 12 -> "--zzz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n".getBytes(StandardCharsets.US_ASCII);
            case 13 -> "{\"input\":{\"source\":\"\\ud800\"},\"key\":\"\\u0000\"}".getBytes(StandardCharsets.US_ASCII);
            case 14 -> "{\"input\":{\"source\":1e999999999},\"priority\":1.0e0}".getBytes(StandardCharsets.US_ASCII);
            default -> "{\"input\":{\"source\":\"x\",\"meta\":\"not a map\"}}".getBytes(StandardCharsets.US_ASCII);
        };
    }

    private static byte[] wrongType(Random random) {
        String[] values = {"null", "true", "1", "-1", "1.5", "\"s\"", "[]", "{}", "[{}]", "9e99"};
        String[] members = {"key", "input", "priority", "inputs", "tenant", ""};
        StringBuilder json = new StringBuilder("{");
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(pick(random, members)).append("\":").append(pick(random, values));
        }
        return json.append('}').toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] truncate(Random random, String json) {
        return json.substring(0, random.nextInt(json.length())).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] garbage(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String pick(Random random, String[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
