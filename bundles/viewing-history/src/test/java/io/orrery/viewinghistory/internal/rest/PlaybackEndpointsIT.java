package io.orrery.viewinghistory.internal.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.tenant.IssuedToken;
import io.orrery.camel.internal.NodeCamel;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.gateway.internal.ApiServices;
import io.orrery.gateway.internal.GatewaySettings;
import io.orrery.gateway.internal.http.ClusterBuckets;
import io.orrery.gateway.internal.resource.ResourceRouteBuilder;
import io.orrery.gateway.internal.tenant.StoredTenantDirectory;
import io.orrery.api.tenant.TenantQuota;
import io.orrery.api.rest.RestOperation;
import io.orrery.api.rest.RestResource;
import io.orrery.viewinghistory.internal.PlaybackStream;
import io.orrery.viewinghistory.internal.ProcessorFixture;
import io.orrery.viewinghistory.internal.event.EventCodec;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.internal.processor.ProcessorRoute;
import io.orrery.viewinghistory.internal.processor.ProcessorSettings;
import io.orrery.viewinghistory.publisher.PlaybackPublisher;
import io.orrery.viewinghistory.publisher.PublisherSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The viewing-history endpoints behind the real gateway gate (tokens, problem documents) on a real Jetty, with
 * the publisher and the processor on a real broker: validation per event, the tenant boundary, the asynchronous
 * and synchronous paths of the rollout, pages, hiding and bookmarks.
 */
class PlaybackEndpointsIT {

    private static final String TOPIC = "vh-endpoints";
    private static final AtomicInteger ROLLOUT = new AtomicInteger(100);

    private static ProcessorFixture fixture;
    private static PlaybackPublisher publisher;
    private static CamelContext camel;
    private static int port;
    private static IssuedToken playback;
    private static IssuedToken acme;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        fixture = new ProcessorFixture(ProcessorSettings.defaults());
        fixture.broker.createTopic(TOPIC, 3);
        fixture.store.migrate("gateway", PlaybackEndpointsIT.class.getClassLoader());
        StoredTenantDirectory directory = StoredTenantDirectory.open(fixture.store.dataSource(),
                new TenantQuota(64 * 1024, 10_000, 10_000, 10_000), Map.of());
        playback = directory.create("playback");
        acme = directory.create("acme");
        ApiServices services = new ApiServices(directory, null, fixture.store.dataSource(), GatewaySettings.defaults(),
                new SimpleMeterRegistry(), ClusterBuckets.on(fixture.member, Clock.systemUTC()),
                io.orrery.gateway.internal.instance.InstanceCounts.on(fixture.member), Clock.systemUTC());
        publisher = new PlaybackPublisher(PublisherSettings.of(TOPIC, fixture.broker.bootstrap(), ""));
        PlaybackIntake intake = new PlaybackIntake(publisher, fixture.requestPath(), new Rollout(ROLLOUT::get));
        HistoryQueries queries = new HistoryQueries(fixture.cache, fixture.table);
        camel = LoopbackMembers.onFreePort(p -> NodeCamel.serving(p, fixture.broker.bootstrap(), Map.of(), List.of(
                new ResourceRouteBuilder(services, resource(intake, queries)),
                new ProcessorRoute(fixture.processor, fixture.delays,
                        new ProcessorRoute.Source(TOPIC, "vh-endpoints", fixture.broker.bootstrap(), null, 1, 500),
                        Duration.ofSeconds(1)))));
        port = camel.getRestConfiguration().getPort();
    }

    private static RestResource resource(PlaybackIntake intake, HistoryQueries queries) {
        return new RestResource() {
            @Override public String tenant() { return "playback"; }
            @Override public List<RestOperation> operations() {
                return List.of(
                        new RestOperation("playback-events", "POST", "/playback/events", Set.of(), "ingest", intake::accept),
                        new RestOperation("viewing-history", "GET", "/users/{user}/viewing-history",
                                Set.of("limit", "cursor", "includeHidden"), "history", queries::history),
                        new RestOperation("viewing-history-hide", "POST", "/users/{user}/viewing-history/{sessionId}/hide",
                                Set.of(), "hide", queries::hide),
                        new RestOperation("bookmarks", "GET", "/users/{user}/bookmarks", Set.of("limit", "cursor"),
                                "bookmarks", queries::bookmarks));
            }
        };
    }

    @AfterAll
    static void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aSingleBadEventIsA400NamingItsField() throws Exception {
        HttpResponse<String> response = post("/playback/events", playback.token(),
                "{\"eventId\":\"e1\",\"sessionId\":\"s1\",\"userId\":\"u1\",\"titleId\":\"t1\",\"type\":\"START\","
                        + "\"seq\":\"one\",\"positionMs\":0,\"clientTs\":1,\"device\":\"tv\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).path("errors").get(0).path("field").asText()).isEqualTo("seq");
        assertThat(post("/playback/events", playback.token(), "{oops").statusCode()).isEqualTo(400);
        assertThat(post("/playback/events", playback.token(), "[]").statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = post("/playback/events", playback.token(), "{\"colour\":1}");
        assertThat(json(unknown).path("errors").get(0).path("field").asText()).isEqualTo("colour");
    }

    @Test
    void aBatchRejectsOnlyItsBadEventsAndListsThem() throws Exception {
        PlaybackStream stream = PlaybackStream.generate("batch", 1, 5, 1, 1, 5);
        List<String> events = new ArrayList<>(stream.inOrder().stream().map(PlaybackEndpointsIT::text).toList());
        events.set(1, events.get(1).replace("\"type\":\"", "\"type\":\"X"));
        events.set(3, events.get(3).replaceFirst("\"userId\":\"[^\"]*\",", ""));
        HttpResponse<String> response = post("/playback/events", playback.token(), "[" + String.join(",", events) + "]");
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode receipt = json(response);
        assertThat(receipt.path("accepted").asInt()).isEqualTo(3);
        assertThat(receipt.path("rejected")).hasSize(2);
        assertThat(receipt.path("rejected").get(0).path("index").asInt()).isEqualTo(1);
        assertThat(receipt.path("rejected").get(0).path("field").asText()).isEqualTo("type");
        assertThat(receipt.path("rejected").get(1).path("index").asInt()).isEqualTo(3);
        assertThat(receipt.path("rejected").get(1).path("field").asText()).isEqualTo("userId");
    }

    @Test
    void onlyTheViewingHistoryTenantMayCall() throws Exception {
        assertThat(get("/users/u1/viewing-history", acme.token()).statusCode()).isEqualTo(404);
        assertThat(get("/users/u1/viewing-history", null).statusCode()).isEqualTo(401);
        assertThat(get("/users/u1/viewing-history", playback.token()).statusCode()).isEqualTo(200);
    }

    @Test
    void asynchronousEventsBecomeHistoryThatPagesHidesAndBookmarks() throws Exception {
        ROLLOUT.set(100);
        PlaybackStream stream = PlaybackStream.generate("async", 25, 6, 1, 3, 9);
        String user = stream.users().get(0);
        HttpResponse<String> accepted = post("/playback/events", playback.token(),
                "[" + String.join(",", stream.inOrder().stream().map(PlaybackEndpointsIT::text).toList()) + "]");
        assertThat(accepted.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> fixture.table.entries(user).size() == 25);

        List<String> seen = new ArrayList<>();
        long previousEnd = Long.MAX_VALUE;
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json(get("/users/" + user + "/viewing-history?limit=10"
                    + (cursor == null ? "" : "&cursor=" + cursor), playback.token()));
            for (JsonNode item : page.path("items")) {
                assertThat(item.path("endedAt").asLong()).isLessThanOrEqualTo(previousEnd);
                previousEnd = item.path("endedAt").asLong();
                seen.add(item.path("sessionId").asText());
                assertThat(item.has("userId")).isFalse();
            }
            cursor = page.path("next").isNull() ? null : page.path("next").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(new HashSet<>(seen)).hasSize(25);

        String hidden = seen.get(0);
        assertThat(post("/users/" + user + "/viewing-history/" + hidden + "/hide", playback.token(), "")
                .statusCode()).isEqualTo(200);
        assertThat(post("/users/" + user + "/viewing-history/nope/hide", playback.token(), "").statusCode())
                .isEqualTo(404);
        JsonNode visible = json(get("/users/" + user + "/viewing-history?limit=100", playback.token()));
        assertThat(visible.path("items")).hasSize(24);
        JsonNode all = json(get("/users/" + user + "/viewing-history?limit=100&includeHidden=true", playback.token()));
        assertThat(all.path("items")).hasSize(25);
        assertThat(all.path("items").get(0).path("hidden").asBoolean()).isTrue();

        JsonNode bookmarks = json(get("/users/" + user + "/bookmarks", playback.token()));
        Map<String, io.orrery.viewinghistory.internal.history.Bookmark> expected = stream.expectedBookmarks().get(user);
        assertThat(bookmarks.path("items")).hasSize(expected.size());
        for (JsonNode b : bookmarks.path("items")) {
            assertThat(b.path("positionMs").asLong()).isEqualTo(expected.get(b.path("titleId").asText()).positionMs());
        }
        assertThat(get("/users/" + user + "/viewing-history?limit=0", playback.token()).statusCode()).isEqualTo(400);
    }

    @Test
    void usersOutsideTheRolloutAreWrittenBeforeTheAnswer() throws Exception {
        ROLLOUT.set(0);
        try {
            PlaybackStream stream = PlaybackStream.generate("sync", 1, 4, 1, 1, 13);
            HttpResponse<String> response = post("/playback/events", playback.token(),
                    "[" + String.join(",", stream.inOrder().stream().map(PlaybackEndpointsIT::text).toList()) + "]");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).path("processed").asInt()).isEqualTo(4);
            // no waiting: the store holds it when the answer comes
            assertThat(fixture.storedEntries(stream.users())).isEqualTo(stream.expectedEntries());
        } finally {
            ROLLOUT.set(100);
        }
    }

    /**
     * Seeded malformed, oversized and wrong-typed requests at the four endpoints, with half of the users outside the
     * rollout so that the synchronous path's store write sees them too: every one is answered (on a client that keeps
     * connections open), none with a 5xx or a stack trace, and every refusal is a problem document.
     */
    @Test
    void noRequestIsAnsweredWithAServerError() throws Exception {
        ROLLOUT.set(50);
        try {
            Random random = new Random(20261202L);
            List<String> failures = new ArrayList<>();
            Set<Integer> statuses = new TreeSet<>();
            for (int i = 0; i < 600; i++) {
                HttpRequest request = fuzzed(random, i);
                HttpResponse<String> response;
                try {
                    response = send(HttpRequest.newBuilder(request, (n, v) -> true), playback.token());
                } catch (IOException e) {
                    failures.add(request.method() + " " + request.uri() + " -> " + e);
                    continue;
                }
                statuses.add(response.statusCode());
                boolean problem = response.headers().firstValue("Content-Type")
                        .filter("application/problem+json"::equals).isPresent();
                if (response.statusCode() >= 500 || response.statusCode() >= 400 && !problem
                        || response.body().contains("Exception") || response.body().contains("\tat ")) {
                    failures.add(request.method() + " " + request.uri() + " -> " + response.statusCode() + " "
                            + response.body());
                }
            }
            assertThat(failures).isEmpty();
            assertThat(statuses).as("the requests reach every outcome").contains(200, 202, 400, 404, 413);
        } finally {
            ROLLOUT.set(100);
        }
    }

    private static final String[] SEGMENTS = {"fz-u1", "fz-u2", "%00", "x".repeat(3000), "%C3%28", "..", "a%2Fb",
            "%F0%9F%98%80", "%20", "-", "a;b", "%25"};
    private static final String[] QUERIES = {"", "", "", "?limit=1", "?limit=0", "?limit=-5", "?limit=abc",
            "?limit=99999999999", "?cursor=%25%25%25", "?cursor=" + "A".repeat(3000), "?cursor=bzotMQ", "?cursor=eyJ4IjoxfQ",
            "?includeHidden=maybe", "?includeHidden=true&limit=2", "?limit=1&limit=2", "?colour=red", "?=", "?&&"};
    private static final String[] VALUES = {"null", "\"\"", "\"" + "x".repeat(5000) + "\"", "-1", "0",
            "9223372036854775807", "-9223372036854775808", "99999999999999999999999", "1.5", "1e308", "true", "[]",
            "{}", "\"\\u0000\"", "\"\uD83D\uDE00\"", "\"STOP\"", "\"stop\"", "\"NaN\"",
            "[".repeat(2000) + "]".repeat(2000)};

    private static HttpRequest fuzzed(Random random, int i) {
        String base = "http://127.0.0.1:" + port + "/api/v1";
        String user = pick(random, SEGMENTS);
        return switch (random.nextInt(6)) {
            case 0 -> HttpRequest.newBuilder(URI.create(base + "/users/" + user + "/viewing-history"
                    + pick(random, QUERIES))).GET().build();
            case 1 -> HttpRequest.newBuilder(URI.create(base + "/users/" + user + "/bookmarks"
                    + pick(random, QUERIES))).GET().build();
            case 2 -> HttpRequest.newBuilder(URI.create(base + "/users/" + user + "/viewing-history/"
                    + pick(random, SEGMENTS) + "/hide")).POST(HttpRequest.BodyPublishers.ofString(event(random, i)))
                    .build();
            default -> HttpRequest.newBuilder(URI.create(base + "/playback/events"))
                    .header("Content-Type", random.nextInt(8) == 0 ? "text/plain" : "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body(random, i))).build();
        };
    }

    private static byte[] body(Random random, int i) {
        byte[] text = switch (random.nextInt(6)) {
            case 0 -> ("[" + event(random, i) + "," + event(random, i + 1) + "," + event(random, i + 2) + "]")
                    .getBytes(StandardCharsets.UTF_8);
            case 1 -> many(event(random, i), 2 + random.nextInt(3000));
            case 2 -> pick(random, VALUES).getBytes(StandardCharsets.UTF_8);
            default -> event(random, i).getBytes(StandardCharsets.UTF_8);
        };
        return switch (random.nextInt(8)) {
            case 0 -> Arrays.copyOf(text, random.nextInt(text.length + 1)); // truncated
            case 1 -> { // an invalid UTF-8 byte somewhere
                byte[] broken = text.clone();
                broken[random.nextInt(broken.length)] = (byte) 0xC3;
                yield broken;
            }
            default -> text;
        };
    }

    /**
     * An array of the event, up to 3 MB: over the 1 MB body limit, within what the gateway drains to answer 413
     * (past that it closes the connection mid-request, and the client sees a broken pipe instead).
     */
    private static byte[] many(String event, int times) {
        StringBuilder array = new StringBuilder("[").append(event);
        for (int n = 1; n < times && array.length() + event.length() < 3_000_000; n++) {
            array.append(',').append(event);
        }
        return array.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A playback event with one to three members replaced by a fuzzed value, removed or joined by an unknown one. */
    private static String event(Random random, int i) {
        Map<String, String> members = new LinkedHashMap<>();
        members.put("eventId", "\"fz-e" + i + "-" + random.nextInt(1000) + "\"");
        members.put("sessionId", "\"fz-s" + random.nextInt(20) + "\"");
        members.put("userId", "\"fz-u" + random.nextInt(7) + "\"");
        members.put("titleId", "\"t1\"");
        members.put("type", "\"" + pick(random, new String[] {"START", "HEARTBEAT", "PAUSE", "SEEK", "STOP"}) + "\"");
        members.put("seq", String.valueOf(random.nextInt(10)));
        members.put("positionMs", String.valueOf(random.nextInt(100_000)));
        members.put("clientTs", String.valueOf(1_700_000_000_000L + random.nextInt(100_000)));
        members.put("device", "\"tv\"");
        List<String> names = new ArrayList<>(members.keySet());
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            String name = names.get(random.nextInt(names.size()));
            switch (random.nextInt(4)) {
                case 0 -> members.remove(name);
                case 1 -> members.put("critical", pick(random, VALUES));
                default -> members.put(name, pick(random, VALUES));
            }
        }
        StringBuilder json = new StringBuilder("{");
        members.forEach((name, value) -> json.append(json.length() > 1 ? "," : "").append('"').append(name)
                .append("\":").append(value));
        return json.append('}').toString();
    }

    private static String pick(Random random, String[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static String text(PlaybackEvent e) {
        return new String(EventCodec.write(e), StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> post(String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1" + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        return send(request, token);
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1" + path)).GET(), token);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String token) throws Exception {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return EventCodec.MAPPER.readTree(response.body());
    }
}
