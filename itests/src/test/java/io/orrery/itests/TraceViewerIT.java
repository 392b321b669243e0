package io.orrery.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orrery.gateway.testing.HeadlessChromium;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.Test;

/**
 * What an operator sees: a fresh install launched with bin/orrery, one {@code encode-video} request of a
 * ten-second video in eight chunks, then the trace viewer at {@code /ui/} in a real headless Chromium. The page
 * must show the request's timeline with the eight encode calls overlapping in time and their queue waits drawn
 * apart from compute. The screenshot is kept as {@code target/trace-viewer-encode-video.png}.
 */
public class TraceViewerIT {

    private static final Duration BOOT = Duration.ofSeconds(150);
    private static final Duration ENCODE = Duration.ofMinutes(3);
    private static final int CHUNKS = 8;

    @Test
    public void theViewerShowsTheParallelEncodesOfARealRequest() throws Exception {
        File distribution = new File(System.getProperty("orrery.distribution"));
        Path dir = Files.createTempDirectory(new File("target").toPath().toAbsolutePath(), "trace-viewer");
        String source = TestVideo.generate(dir.resolve("media"), 10).toUri().toString();
        try (UnpackedNode node = UnpackedNode.unpack(distribution, dir.resolve("node"), OrreryContainer.freePort())) {
            node.set("etc/io.orrery.cluster.cfg", "clusterName", "orrery-viewer-" + UUID.randomUUID())
                    .set("etc/io.orrery.cluster.cfg", "port", String.valueOf(OrreryContainer.freePort()))
                    .set("etc/io.orrery.kafka.cfg", "devBrokerPort", String.valueOf(OrreryContainer.freePort()))
                    // Four workers claiming one call at a time: the chunks' calls run side by side.
                    .set("etc/io.orrery.engine.cfg", "workerThreads", "4")
                    .set("etc/io.orrery.engine.cfg", "workerBatch", "1");
            node.launch();
            Await.until(BOOT, node::health, r -> r.status == 200, "health 200");
            String token = encodeOneVideo(node, source);

            try (HeadlessChromium browser = new HeadlessChromium()) {
                open(browser, node, token);
                JsonNode encodes = Await.until(Duration.ofSeconds(60), () -> bars(browser, node, token),
                        b -> b.size() == CHUNKS, CHUNKS + " encode bars on the timeline");
                for (JsonNode bar : encodes) {
                    assertEquals("an encode is compute", "bar compute", bar.get(2).asText());
                }
                assertTrue("some encode bars overlap on screen", overlapping(encodes));
                JsonNode waits = browser.evaluate("[...document.querySelectorAll('.bar.wait')].length");
                assertTrue("queue waits drawn apart: " + waits, waits.asInt() >= CHUNKS);
                browser.evaluate("document.getElementById('timeline').scrollIntoView(), true");
                Path screenshot = Path.of("target", "trace-viewer-encode-video.png");
                Files.write(screenshot, browser.screenshot());
                assertTrue(Files.size(screenshot) > 1000);
            }
        }
    }

    /** Creates tenant acme, deploys the sample encode-video bundle, runs one request to the end; the token. */
    private static String encodeOneVideo(UnpackedNode node, String source) throws Exception {
        String token = SampleRules.lastLine(Await.until(BOOT, () -> node.shellQuietly("orrery:tenant-create acme"),
                out -> SampleRules.lastLine(out).startsWith("orr_"), "a tenant token"));
        Http.Response deployed = Http.post(node.api("/tenants/acme/bundles"), token, "application/java-archive",
                SampleRules.bundle("encode-video"));
        assertEquals(deployed.body, 201, deployed.status);
        String body = "{\"key\":\"ten-seconds\",\"input\":{\"source\":\"" + source
                + "\",\"recipe\":\"h264-360p\",\"chunks\":" + CHUNKS + "}}";
        Http.Response created = Http.post(node.api("/tenants/acme/workflows/encode-video/instances"), token,
                "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertEquals(created.body, 202, created.status);
        Http.Response done = Await.until(ENCODE, () -> Http.get(node.api(
                "/tenants/acme/workflows/encode-video/instances/ten-seconds?wait=20s"), token),
                r -> r.status == 200 && (r.body.contains("\"completed\":true") || r.body.contains("FAILED")),
                "ten-seconds completed");
        assertTrue(done.body, done.body.contains("\"completed\":true"));
        return token;
    }

    private static void open(HeadlessChromium browser, UnpackedNode node, String token) throws Exception {
        browser.call("Page.enable", Map.of());
        browser.call("Page.navigate", Map.of("url", "http://127.0.0.1:" + node.httpPort() + "/ui/"));
        Await.until(Duration.ofSeconds(30), () -> evaluateQuietly(browser,
                "document.readyState === 'complete' && !!document.getElementById('find')"),
                ready -> ready, "the viewer page loaded");
    }

    /**
     * Finds the instance in the page (again each time: spans reach the viewer as the node writes them) and answers
     * the encode calls' bars as [left, right, class] on screen.
     */
    private static JsonNode bars(HeadlessChromium browser, UnpackedNode node, String token) {
        try {
            browser.evaluate("""
                    (() => {
                      const set = (id, v) => { document.getElementById(id).value = v; };
                      delete document.body.dataset.loaded;
                      set('token', '%s'); set('tenant', 'acme'); set('workflow', 'encode-video');
                      set('key', 'ten-seconds');
                      document.getElementById('find').requestSubmit();
                      return true;
                    })()""".formatted(token));
            Await.until(Duration.ofSeconds(20), () -> evaluateQuietly(browser,
                    "!!document.body.dataset.loaded"), loaded -> loaded, "the instance shown");
            return browser.evaluate("""
                    [...document.querySelectorAll('.bar')]
                      .filter(b => b.dataset.name === 'function media.encode')
                      .map(b => { const r = b.getBoundingClientRect(); return [r.left, r.right, b.className]; })""");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean evaluateQuietly(HeadlessChromium browser, String expression) {
        try {
            return browser.evaluate(expression).asBoolean();
        } catch (Exception e) {
            return false;
        }
    }

    /** Whether any two [left, right] bars share a point on screen. */
    private static boolean overlapping(JsonNode bars) {
        for (int i = 0; i < bars.size(); i++) {
            for (int j = i + 1; j < bars.size(); j++) {
                if (bars.get(i).get(0).asDouble() < bars.get(j).get(1).asDouble()
                        && bars.get(j).get(0).asDouble() < bars.get(i).get(1).asDouble()) {
                    return true;
                }
            }
        }
        return false;
    }



}
