package io.orrery.trace.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.api.trace.SpanRecord;
import io.orrery.api.trace.TraceContext;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.store.JdbcStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node's member dies while spans it ended are still gathering for a flush: the spans it had kept are read on the
 * other member (the map's backups), those it had not are refused by the map and counted, never kept in part, and
 * the write-behind still brings every one of them to the store.
 */
class SpanNodeLossIT {

    private final LoopbackMembers loopback = new LoopbackMembers("orrery-trace-loss", 2);
    private final String storeUrl = "jdbc:h2:mem:loss-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private final List<HazelcastInstance> members = new ArrayList<>();
    private final List<SpanRecording> recordings = new ArrayList<>();
    private final List<JdbcStore> stores = new ArrayList<>();

    @AfterEach
    void stop() {
        recordings.forEach(SpanRecording::deactivate);
        members.forEach(m -> m.getLifecycleService().terminate());
        stores.forEach(JdbcStore::close);
    }

    @Test
    void theSpansADeadMemberKeptSurviveAndItsUnflushedOnesAreCountedAndStored() {
        SpanRecording dying = recording(0);
        SpanRecording survivor = recording(1);
        TraceContext root = TraceContext.newTrace();
        Instant t0 = Instant.now();
        int each = 200;
        for (int i = 0; i < each; i++) {
            dying.record("kept " + i, "acme", root, t0.plusMillis(i), t0.plusMillis(i + 1), Map.of("i", "" + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> survivor.map().trace(root.traceId()).size() == each);
        for (int i = 0; i < each; i++) {
            dying.record("unflushed " + i, "acme", root, t0.plusMillis(i), t0.plusMillis(i + 1), Map.of());
        }
        members.get(0).getLifecycleService().terminate(); // within the flush's quarter second of gathering

        await().atMost(Duration.ofSeconds(10)).until(() -> dying.flusher().backlog() == 0);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(survivor.map().trace(root.traceId()))
                .filteredOn(s -> s.name().startsWith("kept ")).hasSize(each)); // once the backups are promoted
        // Each unflushed span is kept whole or counted lost, as its flush came before the member's end or after.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(dying.flusher().lost()
                + survivor.map().trace(root.traceId()).stream().filter(s -> s.name().startsWith("unflushed "))
                .count()).isEqualTo(each));
        await().atMost(Duration.ofSeconds(20)).until(() -> survivor.spans("acme", root.traceId()).size() == 2 * each);
        assertThat(survivor.spans("acme", root.traceId())).filteredOn(s -> s.name().equals("kept 123"))
                .singleElement().satisfies(s -> assertThat(s.attributes()).containsEntry("i", "123"));
    }

    private SpanRecording recording(int index) {
        HazelcastInstance member = loopback.start(index);
        members.add(member);
        await().atMost(Duration.ofSeconds(30)).until(() -> member.getCluster().getMembers().size() == index + 1);
        JdbcStore store = JdbcStore.open(storeUrl, "sa", ""); // the cluster's one store, as with PostgreSQL
        stores.add(store);
        SpanRecording recording = new SpanRecording(member, store,
                TraceConfig.with(Map.of("maxSpans", 100_000, "writeBuffer", 10_000)));
        recordings.add(recording);
        return recording;
    }
}
