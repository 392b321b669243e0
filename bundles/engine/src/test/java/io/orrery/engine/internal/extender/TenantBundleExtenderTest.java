package io.orrery.engine.internal.extender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.WorkflowSummary;
import io.orrery.api.tenant.BundleRejectedException;
import io.orrery.engine.internal.EngineCore;
import io.orrery.engine.internal.EngineSettings;
import io.orrery.engine.internal.MemoryCallPort;
import io.orrery.engine.internal.MemoryInstanceTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The extender's core against the real engine core, with bundles made in memory. */
class TenantBundleExtenderTest {

    static final String MARK_V1 = """
            workflow('mark') {
                version 1
                rule('first') {
                    match  { !state.first }
                    action { state.first = true }
                }
            }
            """;

    static final String MARK_V2 = """
            function('text.shout') { args -> [text: args.text.toUpperCase()] }

            workflow('mark') {
                version 2
                rule('first') {
                    match  { !state.first }
                    action { state.first = true }
                }
                rule('second') {                     // new in version 2: fires on instances version 1 left
                    match  { state.first && !state.second }
                    action { state.second = true }
                }
            }
            """;

    private final MutableClock clock = new MutableClock();
    private final EngineCore engine = new EngineCore(EngineSettings.defaults().withLanes(0), new MemoryInstanceTable(),
            new MemoryCallPort(clock), null, clock);
    private final TenantBundleExtender extender = new TenantBundleExtender(engine,
            new BundleModuleLoader(getClass().getClassLoader()), clock, Duration.ofSeconds(10));

    @AfterEach
    void close() {
        extender.close();
        engine.close();
    }

    @Test
    void deploysATenantBundleIntoTheTenantItsManifestNames() {
        DeployVerdict verdict = extender.started(mark("acme", MARK_V1).installed(10, 1));

        assertThat(verdict.accepted()).isTrue();
        assertThat(verdict.reports()).singleElement().satisfies(r -> {
            assertThat(r.tenant()).isEqualTo("acme");
            assertThat(r.workflow()).isEqualTo("mark");
            assertThat(r.version()).isEqualTo(1);
        });
        assertThat(engine.workflows("acme")).extracting(WorkflowSummary::name).containsExactly("mark");
        assertThat(engine.workflows("beta")).isEmpty();
        assertThat(extender.verdicts().latest("acme")).contains(verdict);
    }

    @Test
    void leavesBundlesWithoutATenantAlone() {
        var plain = TenantJars.bundle("acme", "plain", "1.0.0").header(TenantManifest.TENANT, null).installed(11, 1);

        assertThat(extender.started(plain)).isNull();
    }

    @Test
    void aNewerRevisionTakesOverWithoutARestartAndMeetsTheExistingInstances() {
        extender.started(mark("acme", MARK_V1).installed(12, 1));
        engine.submit(InstanceRequest.of("acme", "mark", "k1", Map.of()));
        assertThat(state("acme", "mark", "k1")).containsEntry("first", true).doesNotContainKey("second");

        DeployVerdict v2 = extender.started(mark("acme", MARK_V2).installed(12, 2));

        assertThat(v2.accepted()).isTrue();
        assertThat(v2.reports()).singleElement().satisfies(r -> {
            assertThat(r.previousVersion()).isEqualTo(1);
            assertThat(r.reevaluated()).isEqualTo(1);
            assertThat(r.fired()).containsEntry("second", 1L);
        });
        assertThat(state("acme", "mark", "k1")).containsEntry("second", true);
        // Its Emirax function runs in the tenant's function host, never in the server's engine.
        assertThat(engine.registry().function("acme", "text.shout")).isEmpty();
    }

    @Test
    void anOlderVersionIsRejectedAndTheNewerKeepsServing() {
        extender.started(mark("acme", MARK_V2).installed(13, 1));

        DeployVerdict old = extender.started(mark("acme", MARK_V1).installed(14, 1));

        assertThat(old.accepted()).isFalse();
        assertThat(old.reason()).contains("workflow mark: version 1 is older than the deployed version 2");
        assertThat(old.field()).isEqualTo("workflow mark");
        assertThat(engine.workflows("acme")).extracting(WorkflowSummary::version).containsExactly(2);
    }

    @Test
    void aRevisionWhoseWorkflowsCannotBeBuiltIsRejectedAndThePreviousKeepsServing() {
        extender.started(mark("acme", MARK_V1).installed(15, 1));
        var broken = TenantJars.bundle("acme", "acme.mark", "2.0.0")
                .source("mark.groovy", "workflow('mark') {\n    version 2\n    rule('x') { }\n}\n")
                .header(TenantManifest.WORKFLOWS, "mark;version=2")
                .installed(15, 2);

        DeployVerdict verdict = extender.started(broken);

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.reason()).contains("cannot be loaded").contains("match");
        assertThat(engine.workflows("acme")).extracting(WorkflowSummary::version).containsExactly(1);
        engine.submit(InstanceRequest.of("acme", "mark", "k2", Map.of()));
        assertThat(state("acme", "mark", "k2")).containsEntry("first", true);
    }

    @Test
    void aManifestThatDoesNotMatchItsScriptsIsRejected() {
        var forged = mark("acme", MARK_V1).header(TenantManifest.WORKFLOWS, "mark;version=7").installed(16, 1);

        DeployVerdict verdict = extender.started(forged);

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.field()).isEqualTo(TenantManifest.WORKFLOWS);
        assertThat(verdict.reason()).contains("mark version 7").contains("mark version 1");
        assertThat(engine.workflows("acme")).isEmpty();
    }

    @Test
    void aTenantNameTheServerWouldRefuseIsRejected() {
        var bad = mark("acme", MARK_V1).header(TenantManifest.TENANT, "Acme Corp").installed(17, 1);

        DeployVerdict verdict = extender.started(bad);

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.field()).isEqualTo(TenantManifest.TENANT);
        assertThat(engine.workflows("Acme Corp")).isEmpty();
    }

    @Test
    void aStoppedBundleKeepsServingThroughTheGracePeriodThenGoes() {
        var bundle = mark("acme", MARK_V2).installed(18, 1);
        extender.started(bundle);

        extender.stopped(bundle);
        clock.advance(Duration.ofSeconds(9));
        extender.expireStopped();
        assertThat(engine.workflows("acme")).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        extender.expireStopped();
        assertThat(engine.workflows("acme")).isEmpty();
        assertThat(engine.registry().function("acme", "text.shout")).isEmpty();
    }

    @Test
    void anUpdateStopsAndStartsTheBundleWithoutAGap() {
        var v1 = mark("acme", MARK_V1).installed(19, 1);
        extender.started(v1);

        extender.stopped(v1);
        assertThat(engine.workflows("acme")).hasSize(1);
        extender.started(mark("acme", MARK_V2).installed(19, 2));
        clock.advance(Duration.ofMinutes(1));
        extender.expireStopped();

        assertThat(engine.workflows("acme")).extracting(WorkflowSummary::version).containsExactly(2);
    }

    @Test
    void anUninstalledBundleGoesAtOnce() {
        var bundle = mark("acme", MARK_V1).installed(20, 1);
        extender.started(bundle);

        extender.stopped(bundle.uninstall());

        assertThat(engine.workflows("acme")).isEmpty();
        assertThat(extender.verdicts().last(20)).isEmpty();
    }

    @Test
    void aBundleUninstalledDuringItsGracePeriodGoesAtOnce() {
        var bundle = mark("acme", MARK_V1).installed(25, 1);
        extender.started(bundle);
        extender.stopped(bundle);

        extender.uninstalled(25);

        assertThat(engine.workflows("acme")).isEmpty();
    }

    @Test
    void uninstallingABundleThatWasSupersededRemovesNothing() {
        var old = mark("acme", MARK_V1).installed(21, 1);
        extender.started(old);
        extender.started(TenantJars.bundle("acme", "acme.mark-next", "2.0.0").source("mark.groovy", MARK_V2)
                .installed(22, 1));

        extender.stopped(old.uninstall());

        assertThat(engine.workflows("acme")).extracting(WorkflowSummary::version).containsExactly(2);
        assertThat(extender.workflowsOf(22)).containsExactly("mark");
    }

    @Test
    void aWorkflowDroppedByTheNextRevisionIsUndeployed() {
        extender.started(TenantJars.bundle("acme", "acme.two", "1.0.0")
                .source("mark.groovy", MARK_V1)
                .source("other.groovy", "workflow('other') { rule('r') { match { false }; action { } } }")
                .installed(23, 1));
        assertThat(engine.workflows("acme")).extracting(WorkflowSummary::name).containsExactly("mark", "other");

        extender.started(TenantJars.bundle("acme", "acme.two", "2.0.0").source("mark.groovy", MARK_V2)
                .installed(23, 2));

        assertThat(engine.workflows("acme")).extracting(WorkflowSummary::name).containsExactly("mark");
    }

    @Test
    void preflightRefusesAnotherTenantsBundle() {
        var jar = TenantJars.read(mark("beta", MARK_V1).bytes(), getClass().getClassLoader());

        assertThatThrownBy(() -> extender.preflight("acme", jar))
                .isInstanceOfSatisfying(BundleRejectedException.class, e -> {
                    assertThat(e.field()).isEqualTo(TenantManifest.TENANT);
                    assertThat(e.getMessage()).contains("only into the tenant its manifest names");
                });
    }

    @Test
    void preflightRefusesABundleWithoutTenant() {
        var jar = TenantJars.read(mark("acme", MARK_V1).header(TenantManifest.TENANT, null).bytes(),
                getClass().getClassLoader());

        assertThatThrownBy(() -> extender.preflight("acme", jar)).isInstanceOf(BundleRejectedException.class)
                .hasMessageContaining("no Orrery-Tenant header");
    }

    @Test
    void aDryRunTellsWhatANewVersionWouldFireAndChangesNothing() {
        extender.started(mark("acme", MARK_V1).installed(24, 1));
        engine.submit(InstanceRequest.of("acme", "mark", "k3", Map.of()));
        LoadedModule v2 = extender.preflight("acme", TenantJars.read(mark("acme", MARK_V2).bytes(),
                getClass().getClassLoader()));

        var reports = extender.dryRun(v2);
        extender.discard(v2);

        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.fromVersion()).isEqualTo(1);
            assertThat(r.toVersion()).isEqualTo(2);
            assertThat(r.wouldFire()).containsEntry("second", 1L);
        });
        assertThat(engine.workflows("acme")).extracting(WorkflowSummary::version).containsExactly(1);
        assertThat(state("acme", "mark", "k3")).doesNotContainKey("second");
    }

    static TenantJars mark(String tenant, String source) {
        return TenantJars.bundle(tenant, tenant + ".mark", "1.0.0").source("mark.groovy", source);
    }

    private Map<String, Object> state(String tenant, String workflow, String key) {
        return engine.find(new InstanceId(tenant, workflow, key)).map(InstanceView::state).orElseThrow();
    }

    static final class MutableClock extends Clock {

        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
