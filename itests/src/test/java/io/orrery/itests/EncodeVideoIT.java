package io.orrery.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.apache.karaf.features.BootFinished;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

/**
 * The media tenant on the real distribution: the sample encode-video bundle uploaded over REST encodes a 10-second
 * video (ffmpeg's test pattern, made when the test starts) in 8 chunks, in the tenant's function host, sandboxed by
 * bubblewrap.
 * The output plays for 10 seconds, its index lists the 8 chunks end to end, and at least two chunk encodes ran at
 * the same time.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EncodeVideoIT {

    private static final Duration BOOT = Duration.ofSeconds(120);
    private static final Duration ENCODE = Duration.ofMinutes(3);
    private static final Pattern CHUNK = Pattern.compile("\\{\"index\":(\\d+),\"uri\":\"[^\"]*\",\"offset\":([0-9.]+),"
            + "\"duration\":([0-9.]+),\"encodeStarted\":(\\d+),\"encodeEnded\":(\\d+)}");

    @Inject
    @Filter(timeout = 120_000)
    BootFinished bootFinished;

    @Inject
    SessionFactory sessions;

    @Configuration
    public Option[] configuration() throws Exception {
        // Made here, in the driver, under target/: outside the server's data/ and etc/, which the sandbox hides.
        File artifacts = new File("target/encode-video-it").getAbsoluteFile();
        Path source = TestVideo.generate(artifacts.toPath(), 10);
        String collector = OtlpCollector.start(artifacts.toPath().resolve("otlp"));
        return options(OrreryContainer.withDevBroker(),
                // Spans also go to a collector over OTLP, from the embedded exporter as the distribution ships it.
                editConfigurationFilePut("etc/io.orrery.trace.cfg", "otlpEndpoint", collector),
                systemProperty("orrery.it.sampleRules").value(System.getProperty("orrery.sampleRules")),
                systemProperty("orrery.it.source").value(source.toUri().toString()),
                systemProperty("orrery.it.artifacts").value(artifacts.getPath()),
                // Four workers claiming one call at a time: the chunks' calls run side by side, not as one batch.
                editConfigurationFilePut("etc/io.orrery.engine.cfg", "workerThreads", "4"),
                editConfigurationFilePut("etc/io.orrery.engine.cfg", "workerBatch", "1"));
    }

    @Test
    public void encodesATenSecondVideoInEightChunksInParallel() throws Exception {
        Await.until(BOOT, () -> Http.get(api("/health")), r -> r.status == 200, "health 200");
        String admin = SampleRules.lastLine(OrreryContainer.execute(sessions, "orrery:tenant-token --admin"));
        Http.Response health = Http.get(api("/health"), admin);
        assertTrue("function hosts run in bubblewrap: " + health.body,
                health.body.contains("\"sandbox\":\"bubblewrap\""));
        String acme = SampleRules.lastLine(OrreryContainer.execute(sessions, "orrery:tenant-create acme"));
        Http.Response deployed = Http.post(api("/tenants/acme/bundles"), acme, "application/java-archive",
                SampleRules.bundle("encode-video"));
        assertEquals(deployed.body, 201, deployed.status);

        Http.Response created = Http.post(api("/tenants/acme/workflows/encode-video/instances"), acme,
                "application/json", ("{\"key\":\"ten-seconds\",\"input\":{\"source\":\""
                        + System.getProperty("orrery.it.source") + "\",\"recipe\":\"h264-360p\",\"chunks\":8}}")
                        .getBytes(StandardCharsets.UTF_8));
        assertEquals(created.body, 202, created.status);

        Http.Response done = Await.until(ENCODE,
                () -> Http.get(api("/tenants/acme/workflows/encode-video/instances/ten-seconds?wait=20s"), acme),
                r -> r.status == 200 && (r.body.contains("\"completed\":true") || r.body.contains("FAILED")),
                "ten-seconds completed");
        assertTrue(done.body, done.body.contains("\"completed\":true"));

        Path output = Path.of(URI.create(group(done.body, "\"uri\":\"(file:[^\"]*/output\\.mp4)\"")));
        double duration = TestVideo.duration(output);
        assertTrue("the output plays for " + duration + " s", Math.abs(duration - 10.0) <= 0.5);
        assertEquals("h264", TestVideo.codec(output));

        Path index = Path.of(URI.create(group(done.body, "\"index\":\"(file:[^\"]*/index\\.json)\"")));
        String json = Files.readString(index);
        List<long[]> encodes = new ArrayList<>();
        double offset = 0;
        Matcher m = CHUNK.matcher(json);
        while (m.find()) {
            assertEquals(json, encodes.size(), Integer.parseInt(m.group(1)));
            assertEquals(json, offset, Double.parseDouble(m.group(2)), 0.001);
            offset += Double.parseDouble(m.group(3));
            encodes.add(new long[] {Long.parseLong(m.group(4)), Long.parseLong(m.group(5))});
        }
        assertEquals(json, 8, encodes.size());
        assertEquals(json, 10.0, offset, 0.5);
        assertTrue("no two chunk encodes overlapped: " + json, overlapping(encodes));
        tenantMetricsAsPrometheusReadsThem(acme);
        orreryMetricsFollowPrometheusNaming(admin);
        spansReachedTheCollector();
        hostListShowsTheTenantsLiveSandboxedHosts();
    }

    /** {@code orrery:host-list} shows acme's hosts, warm for the encoder, sandboxed, with the pids of live processes. */
    private void hostListShowsTheTenantsLiveSandboxedHosts() throws Exception {
        String out = OrreryContainer.execute(sessions, "orrery:host-list -t acme");
        List<String> rows = out.lines().filter(l -> l.contains("bubblewrap")).toList();
        assertTrue(out, !rows.isEmpty() && out.contains("media.encode"));
        for (String row : rows) {
            String[] cells = row.split("[|\u2502]");
            long pid = Long.parseLong(cells[2].trim());
            assertTrue(row, ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    /**
     * The collector in the driver received the request's spans over OTLP/HTTP: protobuf carries strings as UTF-8,
     * so the tenant, the workflow and the encode calls' function are readable in what arrived.
     */
    private static void spansReachedTheCollector() {
        Path received = Path.of(System.getProperty("orrery.it.artifacts"), "otlp");
        Await.until(Duration.ofSeconds(60), () -> exported(received),
                all -> all.contains("acme") && all.contains("encode-video") && all.contains("media.encode"),
                "the encode's spans at the OTLP collector");
    }

    private static String exported(Path dir) {
        try (var files = Files.list(dir)) {
            StringBuilder all = new StringBuilder();
            for (Path f : files.filter(f -> f.toString().endsWith(".pb")).toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
            return all.toString();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** The administrator's scrape: every series parses, and Orrery's own follow Prometheus' naming conventions. */
    private static void orreryMetricsFollowPrometheusNaming(String token) throws Exception {
        Http.Response scrape = Http.get(api("/metrics"), token);
        assertEquals(scrape.body, 200, scrape.status);
        Files.writeString(Path.of(System.getProperty("orrery.it.artifacts"), "metrics-admin.txt"), scrape.body);
        List<String> ours = PrometheusText.check(scrape.body).problems().stream()
                .filter(p -> p.startsWith("orrery_")).toList();
        assertEquals("naming problems", List.of(), ours);
    }

    /**
     * The tenant's scrape after the encode parses as Prometheus' own parser reads it, follows its naming
     * conventions, shows the tenant's queue, pool, function and rule series, and no one else's.
     */
    private static void tenantMetricsAsPrometheusReadsThem(String token) throws Exception {
        Http.Response scrape = Http.get(api("/metrics"), token);
        assertEquals(scrape.body, 200, scrape.status);
        Files.writeString(Path.of(System.getProperty("orrery.it.artifacts"), "metrics-acme.txt"), scrape.body);
        PrometheusText text = PrometheusText.check(scrape.body);
        assertEquals("naming problems", List.of(), text.problems());
        Map<String, String> acme = Map.of("tenant", "acme");
        for (String series : List.of("orrery_queue_enqueued_total", "orrery_queue_claimed_total",
                "orrery_queue_wait_seconds_count", "orrery_pool_admission_wait_seconds_count",
                "orrery_function_invocations_total", "orrery_engine_firings_total")) {
            double sum = text.samples(series, acme).stream().mapToDouble(PrometheusText.Sample::value).sum();
            assertTrue(series + " for acme in " + scrape.body, sum > 0);
        }
        assertTrue(scrape.body, text.samples("orrery_engine_firings_total",
                Map.of("tenant", "acme", "workflow", "encode-video")).size() > 1);
        for (PrometheusText.Sample s : text.samples()) {
            assertEquals(s.toString(), "acme", s.labels().get("tenant"));
        }
    }

    /** Whether any two [start, end] intervals share a moment. */
    private static boolean overlapping(List<long[]> intervals) {
        for (int i = 0; i < intervals.size(); i++) {
            for (int j = i + 1; j < intervals.size(); j++) {
                long[] a = intervals.get(i);
                long[] b = intervals.get(j);
                if (a[0] < b[1] && b[0] < a[1]) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String group(String body, String regex) {
        Matcher m = Pattern.compile(regex).matcher(body);
        assertTrue(regex + " in " + body, m.find());
        return m.group(1);
    }


    private static String api(String path) {
        return "http://127.0.0.1:" + Integer.getInteger("orrery.it.httpPort") + "/api/v1" + path;
    }

}
