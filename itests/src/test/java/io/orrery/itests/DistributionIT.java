package io.orrery.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import com.hazelcast.core.HazelcastInstance;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import javax.inject.Inject;
import org.apache.karaf.features.BootFinished;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

/**
 * Boots the real assembled distribution against the distribution's own dev broker and checks the foundation:
 * features installed, health 200 with hazelcast, kafka, store, queue and engine UP, orrery:status agreeing, and a
 * Kafka outage showing as 503 naming kafka, then recovering without a restart.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DistributionIT {

    private static final Duration BOOT = Duration.ofSeconds(120);

    @Inject
    @Filter(timeout = 120_000)
    BootFinished bootFinished;

    @Inject
    FeaturesService features;

    @Inject
    BundleContext context;

    /** Where the memory-limit test puts what it allocates, so that the allocations cannot be optimised away. */
    static volatile byte[] garbage;

    @Inject
    SessionFactory sessions;

    @Inject
    @Filter(timeout = 120_000)
    HazelcastInstance hazelcast;

    @Configuration
    public Option[] configuration() throws Exception {
        return options(OrreryContainer.withDevBroker());
    }

    @Test
    public void installsEveryOrreryFeature() throws Exception {
        for (String name : new String[] {"orrery", "orrery-api", "orrery-camel", "orrery-cluster", "orrery-store",
                "orrery-gateway", "orrery-shell", "orrery-trace", "orrery-queue", "orrery-engine"}) {
            assertTrue(name + " installed", features.isInstalled(features.getFeature(name)));
        }
    }

    @Test
    public void healthIsUpWithEveryComponent() throws Exception {
        Http.Response anonymous = awaitHealth(200);
        Http.Response health = Http.get(healthUrl(), adminToken());

        assertTrue(anonymous.body, anonymous.body.matches("(?s).*\"kafka\":\\{\"status\":\"UP\"}.*"));
        assertFalse(anonymous.body, anonymous.body.contains("memberCount") || anonymous.body.contains("bootstrap")
                || anonymous.body.contains("127.0.0.1"));

        assertTrue(health.body, health.body.matches("(?s).*\"hazelcast\":\\{\"status\":\"UP\".*"));
        assertTrue(health.body, health.body.matches("(?s).*\"kafka\":\\{\"status\":\"UP\".*"));
        assertTrue(health.body, health.body.matches("(?s).*\"store\":\\{\"status\":\"UP\".*"));
        assertTrue(health.body, health.body.matches("(?s).*\"queue\":\\{\"status\":\"UP\",\"persistence\":\"write-behind\"}.*"));
        assertTrue(health.body, health.body.matches("(?s).*\"engine\":\\{\"status\":\"UP\".*"));
        assertTrue(health.body, health.body.contains("\"product\":\"H2\""));
        assertTrue(health.body, health.body.contains("\"memberCount\":1"));
        assertEquals(1, hazelcast.getCluster().getMembers().size());
    }

    @Test
    public void statusCommandAgreesWithHealth() throws Exception {
        awaitHealth(200);

        String out = execute("orrery:status");

        assertTrue(out, out.startsWith("Orrery UP"));
        assertTrue(out, out.matches("(?s).*hazelcast\\s+UP.*"));
        assertTrue(out, out.matches("(?s).*kafka\\s+UP.*"));
        assertTrue(out, out.matches("(?s).*store\\s+UP.*"));
        assertTrue(out, out.matches("(?s).*queue\\s+UP.*"));
        assertTrue(out, out.matches("(?s).*engine\\s+UP.*"));
    }

    @Test
    public void kafkaOutageTurnsHealthTo503AndRecoversWithoutRestart() throws Exception {
        awaitHealth(200);
        DevBroker broker = new DevBroker(new File(System.getProperty("orrery.assembly")),
                Integer.getInteger("orrery.it.kafkaPort"), new File(System.getProperty("orrery.it.kafkaData")));

        broker.stop();
        awaitHealth(503);
        Http.Response down = Http.get(healthUrl(), adminToken());
        assertTrue(down.body, down.body.contains("\"failing\":[\"kafka\"]"));
        assertTrue(execute("orrery:status").startsWith("Orrery DOWN (failing: kafka)"));

        broker.start();
        awaitHealth(200);
    }

    /**
     * The rule memory limit reads HotSpot's per-thread allocation figure through {@code com.sun.management}; in the
     * framework that package reaches the Emirax bundle by boot delegation. Were it unreachable the limit would
     * silently fall back to size checks only: a section that allocated 300 MiB must be stopped here too.
     */
    @Test
    public void theRuleMemoryLimitSeesAllocationsInsideTheFramework() throws Exception {
        Bundle dsl = Arrays.stream(context.getBundles())
                .filter(b -> b.getEntry("io/orrery/emirax/internal/sandbox/RuleBudget.class") != null)
                .findFirst().orElseThrow(() -> new AssertionError("no bundle holds the Emirax rule budget"));
        Class<?> budget = dsl.loadClass("io.orrery.emirax.internal.sandbox.RuleBudget");
        Method tick = budget.getMethod("tick");
        budget.getMethod("begin").invoke(null);
        try {
            for (int i = 0; i < 300; i++) {
                garbage = new byte[1 << 20];
            }
            InvocationTargetException stopped = assertThrows(InvocationTargetException.class, () -> {
                for (int i = 0; i < 256; i++) {
                    tick.invoke(null);
                }
            });
            assertTrue(String.valueOf(stopped.getCause()),
                    stopped.getCause().getMessage().contains("allocated more than 256 MiB"));
        } finally {
            budget.getMethod("end").invoke(null);
        }
    }

    @Test
    public void metricsNeedAToken() throws Exception {
        String metrics = "http://127.0.0.1:" + Integer.getInteger("orrery.it.httpPort") + "/api/v1/metrics";
        awaitHealth(200);

        assertEquals(401, Http.get(metrics).status);
        Http.Response admin = Http.get(metrics, adminToken());
        assertEquals(admin.body, 200, admin.status);
        assertTrue(admin.body, admin.body.contains("jvm_memory_used_bytes"));
    }

    /**
     * The viewing-history processor as deployed: playback events posted as the viewing-history tenant become one
     * entry of the user's history, through the dev broker, the grid's sessions map (its idle sweep's index loaded by
     * the cluster's class loader) and the store; vh-status shows the processor's counters.
     */
    @Test
    public void playbackEventsBecomeAViewingHistoryEntry() throws Exception {
        awaitHealth(200);
        String token = SampleRules.lastLine(execute("orrery:tenant-create playback"));
        String session = "it-session-" + System.nanoTime();
        String events = "[" + playbackEvent(session, 1, "START", 0) + "," + playbackEvent(session, 2, "HEARTBEAT",
                10_000) + "," + playbackEvent(session, 3, "STOP", 20_000) + "]";

        Http.Response posted = Http.post(api("/playback/events"), token, "application/json",
                events.getBytes(StandardCharsets.UTF_8));
        assertTrue(posted.status + " " + posted.body, posted.status == 202 || posted.status == 200);
        Http.Response history = Await.until(BOOT, () -> Http.get(api("/users/it-viewer/viewing-history"), token),
                r -> r.status == 200 && r.body.contains(session), "the session's entry");

        assertTrue(history.body, history.body.contains("\"watchedMs\":20000"));
        assertTrue(history.body, history.body.contains("\"lastPositionMs\":20000"));
        String status = execute("orrery:vh-status");
        assertTrue(status, status.contains("sessions visited by idle sweeps"));
    }

    private static String playbackEvent(String session, int seq, String type, long position) {
        return "{\"eventId\":\"" + session + "-e" + seq + "\",\"sessionId\":\"" + session
                + "\",\"userId\":\"it-viewer\",\"titleId\":\"it-title\",\"type\":\"" + type + "\",\"seq\":" + seq
                + ",\"positionMs\":" + position + ",\"clientTs\":" + (1_700_000_000_000L + position)
                + ",\"device\":\"tv\"}";
    }

    private static String api(String path) {
        return "http://127.0.0.1:" + Integer.getInteger("orrery.it.httpPort") + "/api/v1" + path;
    }

    private Http.Response awaitHealth(int status) {
        return Await.until(BOOT, () -> Http.get(healthUrl()), r -> r.status == status, "health " + status);
    }

    private static String healthUrl() {
        return "http://127.0.0.1:" + Integer.getInteger("orrery.it.httpPort") + "/api/v1/health";
    }

    private String adminToken() throws Exception {
        String out = execute("orrery:tenant-token --admin").strip();
        return out.substring(out.lastIndexOf('\n') + 1).strip();
    }

    private String execute(String command) throws Exception {
        return OrreryContainer.execute(sessions, command);
    }
}
