package io.orrery.trace.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.api.trace.SpanRecord;
import io.orrery.api.trace.TraceContext;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.store.JdbcStore;
import io.orrery.trace.internal.span.SpanMap;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The span map's count bound on real members with 7 partitions, so a bound of 70 spans per member is 10 per
 * partition: Hazelcast evicts on each put, nothing lists the map's keys. A bound of 100 a partition or more is
 * trimmed by age, ahead of the eviction, and its entries are a trace's spans of one flush.
 */
class SpanMapBoundIT {

    private static final int PARTITIONS = 7;
    private static final int BOUND = 70;

    private final LoopbackMembers loopback = new LoopbackMembers("orrery-trace-bound", 2)
            .tunedWith(c -> c.setProperty("hazelcast.partition.count", Integer.toString(PARTITIONS)));
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
    void aFloodOfSpansKeepsTheBoundAndTheNewestWhileTheStoreKeepsEveryOne() throws Exception {
        SpanRecording recording = recording(0, BOUND);
        TraceContext root = TraceContext.newTrace();
        Instant t0 = Instant.now().minusSeconds(3600);
        AtomicInteger largest = new AtomicInteger();
        int spans = BOUND * 10;
        for (int i = 0; i < spans; i++) {
            recording.record("step " + i, "acme", root, t0.plusMillis(i), t0.plusMillis(i + 1), Map.of());
            largest.accumulateAndGet(recording.map().size(), Math::max);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> recording.map().size() == BOUND);
        assertThat(largest.get()).isLessThanOrEqualTo(BOUND);

        // Spans recorded after the flood are the most recently used: each partition keeps them over the flood's.
        // Hazelcast keeps access times to the second, so "after" means in a later second than the flood's puts:
        // the map has every flood batch (each was handed to the map before the store got its spans), and then
        // the second turns.
        await().atMost(Duration.ofSeconds(20)).until(() -> recording.spans("acme", root.traceId()).size() == spans);
        recording.flusher().whenKept().get(10, TimeUnit.SECONDS);
        long floodKept = Instant.now().getEpochSecond();
        await().atMost(Duration.ofSeconds(2)).until(() -> Instant.now().getEpochSecond() > floodKept);
        List<String> late = new ArrayList<>();
        for (int i = 0; i < BOUND / PARTITIONS; i++) {
            late.add("late " + i);
            recording.record("late " + i, "acme", root, t0.plusSeconds(60 + i), t0.plusSeconds(61 + i), Map.of());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(recording.map().trace(root.traceId()))
                .extracting(SpanRecord::name).containsAll(late));
        assertThat(recording.map().size()).isEqualTo(BOUND);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> recording.spans("acme", root.traceId()).size() == spans + late.size());
    }

    @Test
    void aLargeBoundIsKeptByDroppingTheOldestAheadOfTheEviction() {
        int bound = 400 * PARTITIONS; // from 100 a partition the map is trimmed by age
        SpanRecording recording = recording(0, bound);
        Instant t0 = Instant.now().minusSeconds(60);
        // Each chunk is a trace of its own, recorded within a flush: an entry or two, trimmed as a whole, oldest
        // first, long before Hazelcast's eviction (past 400 entries a partition) would drop one of its choosing.
        int chunk = 400;
        int chunks = 10;
        List<TraceContext> traces = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            TraceContext root = TraceContext.newTrace();
            traces.add(root);
            for (int i = c * chunk; i < (c + 1) * chunk; i++) {
                recording.record("step " + i, "acme", root, t0.plusMillis(i), t0.plusMillis(i + 1), Map.of());
            }
            // Kept (after the flush's quarter second), then trimmed to 60 % of the bound (1680 spans) in tenths of
            // a second: the bound itself is never reached.
            await().atMost(Duration.ofSeconds(10)).until(() -> recording.map().trace(root.traceId()).size() == chunk);
            await().atMost(Duration.ofSeconds(10)).until(() -> SpansInMap.count(members.get(0)) <= bound * 6 / 10);
        }
        List<Integer> kept = traces.stream().flatMap(t -> recording.map().trace(t.traceId()).stream())
                .map(s -> Integer.parseInt(s.name().substring("step ".length()))).sorted().toList();
        // The trim drops whole entries, each a trace's spans of one flush: here at most a chunk.
        assertThat(kept).hasSizeGreaterThan(bound * 6 / 10 - chunk);
        assertThat(kept).as("the newest spans, all of them")
                .isEqualTo(IntStream.range(kept.get(0), chunks * chunk).boxed().toList());
        await().atMost(Duration.ofSeconds(20)).until(() -> traces.stream()
                .mapToInt(t -> recording.spans("acme", t.traceId()).size()).sum() == chunks * chunk);
    }

    @Test
    void aMemberAskingForAnotherBoundKeepsTheClustersAndTheBoundHoldsOnEachMember() {
        SpanRecording first = recording(0, BOUND);
        SpanRecording second = recording(1, BOUND * 100);
        TraceContext root = TraceContext.newTrace();
        Instant t0 = Instant.now().minusSeconds(3600);
        for (int i = 0; i < BOUND * 20; i++) {
            (i % 2 == 0 ? first : second).record("step " + i, "acme", root, t0.plusMillis(i), t0.plusMillis(i + 1),
                    Map.of());
        }
        assertThat(members.get(1).getConfig().getMapConfig(SpanMap.NAME).getEvictionConfig().getSize())
                .isEqualTo(BOUND);
        // Hazelcast spreads the bound of both members over the partitions: 20 a partition, 140 in all.
        await().atMost(Duration.ofSeconds(10)).until(() -> first.map().size() == 2 * BOUND);
        for (HazelcastInstance m : members) {
            int owned = (int) m.getPartitionService().getPartitions().stream()
                    .filter(p -> m.getCluster().getLocalMember().equals(p.getOwner())).count();
            assertThat(m.getMap(SpanMap.NAME).getLocalMapStats().getOwnedEntryCount())
                    .isLessThanOrEqualTo((long) owned * 2 * BOUND / PARTITIONS);
        }
    }

    private SpanRecording recording(int index, int maxSpans) {
        HazelcastInstance member = loopback.start(index);
        members.add(member);
        await().atMost(Duration.ofSeconds(30)).until(() -> member.getCluster().getMembers().size() == index + 1);
        JdbcStore store = JdbcStore.open("jdbc:h2:mem:bound-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        stores.add(store);
        SpanRecording recording = new SpanRecording(member, store, config(maxSpans));
        recordings.add(recording);
        return recording;
    }

    private static SpanRecording.Config config(int maxSpans) {
        return TraceConfig.with(Map.of("maxSpans", maxSpans, "writeBuffer", 10_000));
    }
}
