package io.orrery.gateway.internal.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.trace.SpanRecord;
import io.orrery.api.trace.TraceContext;
import io.orrery.gateway.internal.GatewayFixture;
import io.orrery.gateway.testing.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trace viewer in a real headless Chromium: a completed instance whose rule fanned out into three parallel
 * encode calls, each behind a queue wait; the page must draw the calls overlapping in time and the waits apart
 * from compute. The screenshot is kept in {@code target/trace-viewer.png}.
 */
class ViewerPageBrowserIT {

    private static GatewayFixture gateway;
    private static HeadlessChromium browser;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayFixture.start();
        gateway.engine.deploy("acme", "encode-video", 1);
        TraceContext request = TraceContext.newTrace();
        gateway.engine.submit(new InstanceRequest("acme", "encode-video", "video-1", Map.of(), 5, request));
        gateway.engine.complete(new InstanceId("acme", "encode-video", "video-1"), Map.of("index", "done"));
        for (SpanRecord span : fanOut(request)) {
            gateway.traces.add(span);
        }
        browser = new HeadlessChromium();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        gateway.close();
    }

    @Test
    void theTimelineDrawsTheParallelEncodesOverlappingAndTheQueueWaitsApart() throws Exception {
        browser.call("Page.enable", Map.of());
        browser.call("Page.navigate", Map.of("url", "http://127.0.0.1:" + gateway.port + "/ui"));
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                browser.evaluate("document.readyState === 'complete' && !!document.getElementById('find')")
                        .asBoolean());

        browser.evaluate("""
                (() => {
                  const set = (id, v) => { document.getElementById(id).value = v; };
                  set('token', '%s'); set('tenant', 'acme'); set('workflow', 'encode-video'); set('key', 'video-1');
                  document.getElementById('find').requestSubmit();
                  return true;
                })()""".formatted(gateway.acme.token()));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                !browser.evaluate("document.body.dataset.loaded || ''").asText().isEmpty());

        assertThat(browser.evaluate("document.body.dataset.loaded").asText())
                .as(browser.evaluate("document.getElementById('error').textContent").asText()).isEqualTo("true");
        assertThat(browser.evaluate("document.getElementById('status').textContent").asText()).isEqualTo("IDLE");
        JsonNode calls = browser.evaluate("""
                [...document.querySelectorAll('.bar')].filter(b => b.dataset.name === 'call encode')
                  .map(b => { const r = b.getBoundingClientRect(); return [r.left, r.right, b.className]; })""");
        assertThat(calls).hasSize(3);
        double latestLeft = 0;
        double earliestRight = Double.MAX_VALUE;
        for (JsonNode c : calls) {
            latestLeft = Math.max(latestLeft, c.get(0).asDouble());
            earliestRight = Math.min(earliestRight, c.get(1).asDouble());
            assertThat(c.get(2).asText()).isEqualTo("bar compute");
        }
        assertThat(latestLeft).as("every encode bar starts before any ends on screen").isLessThan(earliestRight);
        JsonNode waits = browser.evaluate("""
                [...document.querySelectorAll('.bar')].filter(b => b.dataset.name === 'queue wait')
                  .map(b => b.className)""");
        assertThat(waits).hasSize(3).allSatisfy(w -> assertThat(w.asText()).isEqualTo("bar wait"));
        assertThat(browser.evaluate("getComputedStyle(document.querySelector('.bar.wait')).backgroundImage")
                .asText()).isNotEqualTo(browser.evaluate(
                "getComputedStyle(document.querySelector('.bar.compute')).backgroundImage").asText());

        Path screenshot = Path.of("target", "trace-viewer.png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, browser.screenshot());
        assertThat(Files.size(screenshot)).isGreaterThan(1000);
    }

    @Test
    void onlyThePagesOwnFilesAreServed() {
        assertThat(gateway.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + gateway.port + "/ui/sub/index.html")), null).statusCode())
                .isEqualTo(404);
        assertThat(gateway.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + gateway.port + "/ui/secret.txt")), null).statusCode())
                .isEqualTo(404);
        var page = gateway.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + gateway.port + "/ui/")), null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("viewer.js").doesNotContain("http://").doesNotContain("https://");
    }

    /** request → rule split → three (queue wait → encode call), the calls running at the same time. */
    private static List<SpanRecord> fanOut(TraceContext request) {
        long t0 = System.currentTimeMillis() * 1000;
        List<SpanRecord> spans = new ArrayList<>();
        spans.add(span(request, null, "POST /tenants/{tenant}/workflows/{workflow}/instances", t0, t0 + 5_000));
        TraceContext rule = request.child();
        spans.add(span(rule, request, "rule split action", t0 + 6_000, t0 + 8_000));
        for (int i = 0; i < 3; i++) {
            TraceContext wait = rule.child();
            spans.add(span(wait, rule, "queue wait", t0 + 8_000, t0 + 10_000 + i * 1_000));
            spans.add(span(wait.child(), wait, "call encode", t0 + 10_000 + i * 1_000, t0 + 60_000 + i * 2_000));
        }
        return spans;
    }

    private static SpanRecord span(TraceContext self, TraceContext parent, String name, long start, long end) {
        return new SpanRecord(self.traceId(), self.spanId(), parent == null ? null : parent.spanId(), "acme", name,
                start, end, null, null, Map.of());
    }
}
