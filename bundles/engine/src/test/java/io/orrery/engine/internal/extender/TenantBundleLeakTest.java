package io.orrery.engine.internal.extender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.engine.internal.EngineCore;
import io.orrery.engine.internal.EngineSettings;
import io.orrery.engine.internal.MemoryCallPort;
import io.orrery.engine.internal.MemoryInstanceTable;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A hundred deploy/undeploy cycles of a tenant bundle through the real engine core, each revision in a class
 * loader of its own, with instances evaluated under every revision: once undeployed, no loader may stay reachable
 * from the engine, the extender or Groovy's caches.
 *
 * <p>One exception, bounded: on Java 17 a {@code MethodHandle} keeps the last type it was adapted to
 * ({@code asTypeCache}), and Groovy's shared invoker handles are adapted to the call-site types of the scripts that
 * ran last, so the last revision of each source (the cycles alternate two) may stay reachable until other scripts
 * run. Such a cache holds one entry, whatever the number of cycles; an accumulation would keep early revisions too.
 */
class TenantBundleLeakTest {

    private static final int CYCLES = 100;
    /** Revisions a single-entry JDK cache may still hold right after the last cycle: one per source. */
    private static final int RECENT = 2;

    @Test
    void undeployedRevisionsLeaveNoClassLoaderBehind() {
        Clock clock = Clock.systemUTC();
        byte[] v1 = TenantBundleExtenderTest.mark("acme", TenantBundleExtenderTest.MARK_V1).bytes();
        byte[] v2 = TenantBundleExtenderTest.mark("acme", TenantBundleExtenderTest.MARK_V2).bytes();
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        try (var engine = new EngineCore(EngineSettings.defaults().withLanes(0), new MemoryInstanceTable(),
                new MemoryCallPort(clock), null, clock);
             var extender = new TenantBundleExtender(engine, new BundleModuleLoader(getClass().getClassLoader()),
                     clock, Duration.ofSeconds(10))) {
            for (int i = 0; i < CYCLES; i++) {
                loaders.add(cycle(engine, extender, i, i % 2 == 0 ? v1 : v2));
            }
            assertThat(engine.workflows("acme")).isEmpty();
            assertThat(engine.find(new InstanceId("acme", "mark", "k" + (CYCLES - 1)))).isPresent();

            List<WeakReference<ClassLoader>> early = loaders.subList(0, CYCLES - RECENT);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                System.gc();
                return early.stream().allMatch(r -> r.get() == null);
            });
        }
    }

    private static WeakReference<ClassLoader> cycle(EngineCore engine, TenantBundleExtender extender, int i,
                                                    byte[] bytes) {
        var bundle = new TenantJars.FakeBundle(100 + i, i, TenantJars.read(bytes,
                TenantBundleLeakTest.class.getClassLoader()));
        assertThat(extender.started(bundle).accepted()).isTrue();
        engine.submit(InstanceRequest.of("acme", "mark", "k" + i, Map.of()));
        extender.stopped(bundle.uninstall());
        return new WeakReference<>(bundle.classLoader());
    }
}
