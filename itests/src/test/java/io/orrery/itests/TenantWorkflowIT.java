package io.orrery.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOption;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The tenant's path on the real distribution, as the README walks it: create a tenant in the shell, upload the
 * sample encode-video bundle built by the Emirax Maven plugin, create an instance over REST and long-poll it to
 * completion; redeploy version 4 and see its new rule fire on the finished instance; see that another tenant cannot
 * see any of it and that a broken version is refused while version 4 serves. Also: the same request through Kafka,
 * and undeploy/redeploy cycles without a class-loader leak.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TenantWorkflowIT {

    private static final Duration BOOT = Duration.ofSeconds(120);
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    private static final int REDEPLOY_CYCLES = 20;
    /** How long an uninstalled bundle's class loader may stay reachable before it counts as leaked. */
    private static final Duration LOADER_RELEASE = Duration.ofSeconds(30);

    @Inject
    @Filter(timeout = 120_000)
    BootFinished bootFinished;

    @Inject
    SessionFactory sessions;

    @Inject
    BundleContext bundleContext;

    @Configuration
    public Option[] configuration() throws Exception {
        // The encode-video tenant runs ffmpeg on a real video: two seconds of its test pattern, made here.
        String source = TestVideo.generate(new File("target/tenant-workflow-it").toPath(), 2).toUri().toString();
        return options(OrreryContainer.withDevBroker(),
                // A loader reachable only through a soft cache is no leak: the JVM drops such caches before it runs
                // out of memory, but keeps those used in the last second per free MiB through System.gc(). With
                // this, every collection drops them, so the leak check sees only what holds a loader for good.
                vmOption("-XX:SoftRefLRUPolicyMSPerMB=0"),
                systemProperty("orrery.it.sampleRules").value(System.getProperty("orrery.sampleRules")),
                systemProperty("orrery.it.source").value(source));
    }

    @Test
    public void aTenantDeploysRunsAndRedeploysAWorkflow() throws Exception {
        awaitHealthy();
        String acme = token("acme");
        String beta = token("beta");

        Http.Response deployed = Http.post(api("/tenants/acme/bundles"), acme, "application/java-archive",
                SampleRules.bundle("encode-video"));
        assertEquals(deployed.body, 201, deployed.status);
        assertTrue(deployed.body, deployed.body.contains("encode-video"));

        Http.Response created = Http.post(api("/tenants/acme/workflows/encode-video/instances"), acme,
                "application/json", json("{\"key\":\"video-1\",\"input\":{\"source\":\"" + source() + "\","
                        + "\"recipe\":\"h264-360p\",\"chunks\":4}}"));
        assertEquals(created.body, 202, created.status);
        assertTrue(created.body, created.body.contains("\"traceId\""));

        // One long-poll: it answers when the instance completes, well within the wait.
        Http.Response done = Http.get(api("/tenants/acme/workflows/encode-video/instances/video-1?wait=30s"), acme);
        assertEquals(done.body, 200, done.status);
        assertTrue(done.body, done.body.contains("\"output\":{\"uri\""));

        Http.Response foreign = Http.get(api("/tenants/acme/workflows/encode-video/instances/video-1"), beta);
        assertEquals(foreign.body, 404, foreign.status);
        Http.Response anonymous = Http.get(api("/tenants/acme/workflows/encode-video/instances/video-1"), "nonsense");
        assertEquals(anonymous.body, 401, anonymous.status);

        Http.Response v4 = Http.post(api("/tenants/acme/bundles"), acme, "application/java-archive",
                SampleRules.bundle("encode-video-v4"));
        assertEquals(v4.body, 201, v4.status);
        Await.until(BOOT, () -> Http.get(api("/tenants/acme/workflows/encode-video/instances/video-1"), acme),
                r -> r.status == 200 && r.body.contains("\"codec\":\"av1\""), "the v4 rule re-encoding video-1");

        Http.Response notAJar = Http.post(api("/tenants/acme/bundles"), acme, "application/java-archive",
                "not a jar".getBytes(StandardCharsets.UTF_8));
        assertTrue(notAJar.body, notAJar.status >= 400 && notAJar.status < 500);

        // Version 5 names a script class its bundle does not hold: refused with the reason, version 4 keeps serving.
        Http.Response broken = Http.post(api("/tenants/acme/bundles"), acme, "application/java-archive",
                withManifest(SampleRules.bundle("encode-video-v4"), Map.of("Bundle-Version", "5.0.0",
                        "Orrery-Workflows", "encode-video;version=5",
                        "Orrery-Emirax-Scripts", "emirax.acme.internal.no_such_script")));
        assertEquals(broken.body, 422, broken.status);
        assertTrue(broken.body, broken.body.contains("no_such_script"));
        Http.Response workflows = Http.get(api("/tenants/acme/workflows"), acme);
        assertTrue(workflows.body, workflows.body.matches("(?s).*\"encode-video\".*\"version\":4.*"));
        Http.Response stillServed = Http.post(api("/tenants/acme/workflows/encode-video/instances"), acme,
                "application/json", json("{\"key\":\"video-2\",\"input\":{\"source\":\"" + source() + "\","
                        + "\"recipe\":\"h264-360p\",\"chunks\":2}}"));
        assertEquals(stillServed.body, 202, stillServed.status);
        Http.Response v4done = Http.get(api("/tenants/acme/workflows/encode-video/instances/video-2?wait=30s"), acme);
        assertTrue(v4done.body, v4done.body.contains("\"codec\":\"av1\""));
    }

    @Test
    public void aRequestPublishedToKafkaIsMappedAsTheRestCreateIs() throws Exception {
        awaitHealthy();
        String beta = token("beta");
        Http.Response deployed = Http.post(api("/tenants/beta/bundles"), beta, "application/java-archive",
                SampleRules.bundle("greeting"));
        assertEquals(deployed.body, 201, deployed.status);

        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + Integer.getInteger("orrery.it.kafkaPort"));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(KafkaProducer.class.getClassLoader());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            ProducerRecord<String, String> request = new ProducerRecord<>("orrery.requests", "card-1",
                    "{\"tenant\":\"beta\",\"workflow\":\"greeting\",\"key\":\"card-1\",\"input\":{\"name\":\"Ada\"}}");
            request.headers().add("Authorization", ("Bearer " + beta).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            producer.send(request).get();
            producer.send(new ProducerRecord<>("orrery.requests", "junk", "{not json")).get();
        } finally {
            thread.setContextClassLoader(previous);
        }

        Http.Response card = Await.until(BOOT,
                () -> Http.get(api("/tenants/beta/workflows/greeting/instances/card-1?wait=10s"), beta),
                r -> r.status == 200 && r.body.contains("Hello, Ada!"), "card-1 created from Kafka and completed");
        assertTrue(card.body, card.body.contains("the Orrery team"));
    }

    /**
     * Every cycle restarts the tenant's function host (its new bundle's functions are served before the deploy
     * answers), about two seconds: twenty cycles, each bundle's class loader watched through a weak reference. One
     * loader held by the engine, the functions or any cache after its bundle went would stay reachable.
     */
    @Test
    public void undeployingAndRedeployingLeaksNoClassLoaders() throws Exception {
        awaitHealthy();
        String gamma = token("gamma");
        byte[] bundle = withManifest(SampleRules.bundle("greeting"), Map.of("Orrery-Tenant", "gamma",
                "Bundle-SymbolicName", "gamma.greeting"));
        for (int i = 0; i < 3; i++) {
            redeploy(gamma, bundle);
        }
        long classesBefore = loadedClasses();
        long metaspaceBefore = metaspaceUsed();

        List<WeakReference<ClassLoader>> uninstalled = new ArrayList<>();
        for (int i = 0; i < REDEPLOY_CYCLES; i++) {
            WeakReference<ClassLoader> loader = redeploy(gamma, bundle);
            // a cycle that found nothing to uninstall would count as a collected loader
            assertNotNull("cycle " + i + ": no deployed bundle with a class loader was uninstalled", loader);
            uninstalled.add(loader);
        }

        long classesAfter = loadedClasses();
        long metaspaceAfter = metaspaceUsed();
        List<Integer> held = heldCycles(uninstalled);
        String figures = REDEPLOY_CYCLES + " redeploy cycles: class loaders of uninstalled bundles still reachable "
                + held.size() + " " + held + ", classes " + classesBefore + " -> " + classesAfter + ", metaspace "
                + metaspaceBefore + " -> " + metaspaceAfter;
        System.out.println(figures);
        // Work under way when a bundle went may hold its loader a moment longer; a leak is a loader that stays.
        try {
            Await.until(LOADER_RELEASE, () -> heldCycles(uninstalled), List::isEmpty,
                    "the class loaders of the cycles' uninstalled bundles to be collected (" + figures + ")");
        } catch (AssertionError leak) {
            System.out.println(threadsHolding(uninstalled));
            throw leak;
        }
        Http.Response greeting = Http.get(api("/tenants/gamma/workflows"), gamma);
        assertTrue(greeting.body, greeting.body.contains("greeting"));
    }

    /**
     * Uninstalls the tenant's bundle if it is there, then uploads it again.
     *
     * @return the uninstalled bundle's class loader, weakly held (cleared when nothing holds it); null when no bundle
     *         with a class loader was uninstalled
     */
    private WeakReference<ClassLoader> redeploy(String token, byte[] bundle) {
        WeakReference<ClassLoader> loader = null;
        for (Bundle installed : bundleContext.getBundles()) {
            if ("gamma.greeting".equals(installed.getSymbolicName())) {
                BundleWiring wiring = installed.adapt(BundleWiring.class);
                ClassLoader classes = wiring == null ? null : wiring.getClassLoader();
                loader = classes == null ? loader : new WeakReference<>(classes);
                try {
                    installed.uninstall();
                } catch (BundleException e) {
                    throw new AssertionError("uninstall failed", e);
                }
            }
        }
        Http.Response deployed = Http.post(api("/tenants/gamma/bundles"), token, "application/java-archive", bundle);
        assertEquals(deployed.body, 201, deployed.status);
        return loader;
    }

    /** The cycles whose uninstalled bundle's class loader is still reachable after full collections. */
    private static List<Integer> heldCycles(List<WeakReference<ClassLoader>> uninstalled) {
        settleGarbage();
        List<Integer> held = new ArrayList<>();
        for (int i = 0; i < uninstalled.size(); i++) {
            if (uninstalled.get(i).get() != null) {
                held.add(i);
            }
        }
        return held;
    }

    /**
     * For the report: threads whose context class loader is a held loader or has one as a parent (as the loader a
     * deploy sets while the tenant's scripts build their workflows does). A thread started meanwhile inherits it.
     */
    private static String threadsHolding(List<WeakReference<ClassLoader>> uninstalled) {
        List<ClassLoader> held = uninstalled.stream().map(WeakReference::get).filter(l -> l != null).toList();
        StringBuilder report = new StringBuilder("threads whose context class loader is or wraps a held loader:");
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            for (ClassLoader c = t.getContextClassLoader(); c != null; c = c.getParent()) {
                if (held.contains(c)) {
                    report.append("\n  ").append(t.getName()).append(": ").append(t.getContextClassLoader());
                    break;
                }
            }
        }
        return report.toString();
    }

    private static long loadedClasses() {
        settleGarbage();
        return ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
    }

    private static long metaspaceUsed() {
        settleGarbage();
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getName().equals("Metaspace"))
                .mapToLong(pool -> pool.getUsage().getUsed()).sum();
    }

    /** Full collections unload classes whose loaders are unreachable. */
    private static void settleGarbage() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
    }

    /** Tenants are created once per container, by whichever test needs them first. */
    private synchronized String token(String tenant) throws Exception {
        String token = TOKENS.get(tenant);
        if (token == null) {
            token = SampleRules.lastLine(execute("orrery:tenant-create " + tenant));
            TOKENS.put(tenant, token);
        }
        return token;
    }


    /** The same jar with some main attributes of its manifest replaced. */
    private static byte[] withManifest(byte[] jar, Map<String, String> attributes) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            Manifest manifest = in.getManifest();
            attributes.forEach((name, value) -> manifest.getMainAttributes().putValue(name, value));
            try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String source() {
        return System.getProperty("orrery.it.source");
    }

    private static String api(String path) {
        return "http://127.0.0.1:" + Integer.getInteger("orrery.it.httpPort") + "/api/v1" + path;
    }

    private static void awaitHealthy() {
        Await.until(BOOT, () -> Http.get(api("/health")), r -> r.status == 200, "health 200");
    }


    private String execute(String command) throws Exception {
        return OrreryContainer.execute(sessions, command);
    }
}
