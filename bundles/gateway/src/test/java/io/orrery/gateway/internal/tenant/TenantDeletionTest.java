package io.orrery.gateway.internal.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orrery.api.engine.InputField;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.queue.Claim;
import io.orrery.api.queue.ClaimRequest;
import io.orrery.api.queue.MessageInfo;
import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueMessage;
import io.orrery.api.queue.QueueService;
import io.orrery.api.queue.QueueSettings;
import io.orrery.api.queue.QueueStats;
import io.orrery.api.tenant.IssuedToken;
import io.orrery.api.trace.TraceContext;
import io.orrery.gateway.internal.FakeBundleDeployer;
import io.orrery.gateway.internal.FakeWorkflowEngine;
import io.orrery.gateway.internal.TestGrid;
import io.orrery.gateway.internal.instance.InstanceCounts;
import io.orrery.store.JdbcStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleting a tenant deletes what it owns: a tenant re-created under the same name sees none of the old one's
 * bundles, workflows, instances, queued messages or meters, and the old tokens stay refused.
 */
class TenantDeletionTest {

    @TempDir
    java.nio.file.Path dir;

    private JdbcStore store;
    private TenantDirectoryComponent directory;
    private final FakeBundleDeployer deployer = new FakeBundleDeployer();
    private final FakeWorkflowEngine engine = new FakeWorkflowEngine();
    private final CountingQueues queues = new CountingQueues();

    @BeforeEach
    void open() {
        store = JdbcStore.open("jdbc:h2:mem:deletion-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        directory = new TenantDirectoryComponent(store, TenantDirectoryComponentTest.config("", dir.resolve("admin-token").toString()), Map.of());
        directory.deployer = deployer;
        directory.engine = engine;
        directory.queues = queues;
        directory.hazelcast = TestGrid.shared();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aRecreatedTenantInheritsNothing() {
        IssuedToken first = directory.create("acme");
        IssuedToken second = directory.issueToken("acme", false);
        directory.create("beta");
        deployer.deploy("acme", FakeBundleDeployer.bundle("acme", "acme-media", "encode"));
        deployer.deploy("beta", FakeBundleDeployer.bundle("beta", "beta-media", "encode"));
        engine.deploy("acme", "encode", 1, new InputField("source", String.class, false, null));
        engine.deploy("beta", "encode", 1, new InputField("source", String.class, false, null));
        engine.submit(new InstanceRequest("acme", "encode", "v1", Map.of(), 5, TraceContext.newTrace()));
        engine.submit(new InstanceRequest("beta", "encode", "b1", Map.of(), 5, TraceContext.newTrace()));
        queues.depth.put(new QueueId("acme", "calls"), 3L);
        queues.depth.put(new QueueId("beta", "calls"), 2L);
        InstanceCounts counts = InstanceCounts.on(TestGrid.shared());
        counts.reserve("acme", 10, () -> 0);
        counts.reserve("beta", 10, () -> 0);

        assertThat(directory.delete("acme")).isTrue();
        IssuedToken fresh = directory.create("acme");

        assertThat(directory.authenticate(first.token())).isEmpty();
        assertThat(directory.authenticate(second.token())).isEmpty();
        assertThat(directory.authenticate(fresh.token())).isPresent();
        assertThat(directory.tokens("acme")).singleElement().satisfies(t -> assertThat(t.tokenId()).isEqualTo(fresh.tokenId()));
        assertThat(deployer.deployed).containsExactly("beta/beta-media");
        assertThat(engine.workflows("acme")).isEmpty();
        assertThat(engine.find(new InstanceId("acme", "encode", "v1"))).isEmpty();
        assertThat(queues.depth).doesNotContainKey(new QueueId("acme", "calls"));
        assertThat(counts.held("acme")).as("the quota's count starts again from the instance map").isEqualTo(-1);
        assertThat(counts.held("beta")).isEqualTo(1);
        // Another tenant keeps everything.
        assertThat(engine.workflows("beta")).hasSize(1);
        assertThat(engine.find(new InstanceId("beta", "encode", "b1"))).isPresent();
        assertThat(queues.depth).containsEntry(new QueueId("beta", "calls"), 2L);
    }

    @Test
    void aRecreatedTenantSeesNoneOfTheOldOnesMetersOnAnyNode() {
        PrometheusMeterRegistry here = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PrometheusMeterRegistry otherNode = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        directory.meters = here;
        // Another node's gateway: its own registry, the same cluster.
        TenantMeterErasure elsewhere = new TenantMeterErasure(TestGrid.shared(), otherNode);
        try {
            directory.create("acme");
            directory.create("beta");
            for (PrometheusMeterRegistry node : List.of(here, otherNode)) {
                node.counter("orrery.engine.firings", "tenant", "acme", "workflow", "orders", "rule", "ship").increment(3);
                node.gauge("orrery.queue.depth", Tags.of("tenant", "acme", "queue", "calls", "state", "pending"), 3);
                node.counter("orrery.engine.firings", "tenant", "beta", "workflow", "payroll", "rule", "salaries").increment(5);
            }

            assertThat(directory.delete("acme")).isTrue();
            directory.create("acme");

            assertThat(here.scrape()).as("what GET /metrics serves the new acme from: nothing of the old one")
                    .doesNotContain("tenant=\"acme\"").doesNotContain("workflow=\"orders\"")
                    .doesNotContain("queue=\"calls\"").contains("workflow=\"payroll\"");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(otherNode.scrape())
                    .doesNotContain("tenant=\"acme\"").doesNotContain("workflow=\"orders\"")
                    .contains("workflow=\"payroll\""));
        } finally {
            elsewhere.deactivate();
        }
    }

    @Test
    void withoutTheEngineNothingIsHalfDeletedAndTheDeleteCanBeRunAgain() {
        IssuedToken token = directory.create("acme");
        engine.deploy("acme", "encode", 1);
        directory.engine = null;

        assertThatThrownBy(() -> directory.delete("acme")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("workflow engine");
        assertThat(directory.find("acme")).as("the name stays, to delete again").isPresent();
        assertThat(directory.authenticate(token.token())).as("its tokens went first").isEmpty();
        assertThat(engine.workflows("acme")).hasSize(1);

        directory.engine = engine;
        assertThat(directory.delete("acme")).isTrue();
        assertThat(engine.workflows("acme")).isEmpty();
        assertThat(directory.delete("acme")).isFalse();
    }

    /** Queues as depths only: what deleting a tenant touches (the queue service's own tests cover the rest). */
    private static final class CountingQueues implements QueueService {
        final Map<QueueId, Long> depth = new ConcurrentHashMap<>();

        @Override public List<QueueId> queues() { return depth.keySet().stream().sorted().toList(); }
        @Override public long purge(QueueId queue) { Long n = depth.remove(queue); return n == null ? 0 : n; }
        @Override public boolean enqueue(QueueMessage message) { throw new UnsupportedOperationException(); }
        @Override public List<Boolean> enqueueAll(List<QueueMessage> messages) { throw new UnsupportedOperationException(); }
        @Override public List<Claim> claim(ClaimRequest request) { throw new UnsupportedOperationException(); }
        @Override public boolean ack(QueueId queue, String messageId, String leaseToken) { throw new UnsupportedOperationException(); }
        @Override public int ackAll(List<Claim> claims) { throw new UnsupportedOperationException(); }
        @Override public boolean nack(Claim claim, Duration delay, String reason) { throw new UnsupportedOperationException(); }
        @Override public boolean reject(Claim claim, String reason) { throw new UnsupportedOperationException(); }
        @Override public Optional<Claim> extend(Claim claim, Duration lease) { throw new UnsupportedOperationException(); }
        @Override public boolean cancel(QueueId queue, String messageId) { throw new UnsupportedOperationException(); }
        @Override public Optional<MessageInfo> find(QueueId queue, String messageId) { throw new UnsupportedOperationException(); }
        @Override public List<MessageInfo> browse(QueueId queue, MessageState state, int limit) { throw new UnsupportedOperationException(); }
        @Override public QueueStats stats(QueueId queue) { throw new UnsupportedOperationException(); }
        @Override public int replayDead(QueueId queue, int max) { throw new UnsupportedOperationException(); }
        @Override public QueueSettings settings(QueueId queue) { throw new UnsupportedOperationException(); }
        @Override public void configure(QueueId queue, QueueSettings settings) { throw new UnsupportedOperationException(); }
    }
}
