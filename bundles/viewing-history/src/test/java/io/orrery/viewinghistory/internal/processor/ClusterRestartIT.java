package io.orrery.viewinghistory.internal.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.viewinghistory.internal.ProcessorFixture;
import io.orrery.viewinghistory.internal.event.EventCodec;
import io.orrery.viewinghistory.internal.event.EventType;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.internal.history.HistoryCache;
import io.orrery.viewinghistory.internal.history.HistoryEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A restart of the whole cluster (every restart of a one-member node) while sessions are open, or the loss of some of
 * the grid's partitions, on a real broker, Hazelcast members and store: the grid loses the open sessions' events,
 * Kafka still has them, and the processor reads them again because it never committed past them.
 */
class ClusterRestartIT {

    private static final String TOPIC = "vh-restart";
    private static final String GROUP = "vh-restart";
    private static ProcessorFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ProcessorFixture(ProcessorSettings.defaults());
        fixture.broker.createTopic(TOPIC, 1);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void anOpenSessionsEventsAreReadAgainAfterTheGridLostThemAndItsEntryIsWhole() throws Exception {
        // offsets 0-2: a, closed; 3-6: b, open; 7-8: c, closed after b began
        List<PlaybackEvent> before = List.of(event("a", 1, EventType.START, 0, 1_000),
                event("a", 2, EventType.HEARTBEAT, 10_000, 11_000), event("a", 3, EventType.STOP, 15_000, 16_000),
                event("b", 1, EventType.START, 0, 100_000), event("b", 2, EventType.HEARTBEAT, 30_000, 130_000),
                event("b", 3, EventType.PAUSE, 60_000, 160_000), event("b", 4, EventType.RESUME, 60_000, 200_000),
                event("c", 1, EventType.START, 0, 300_000), event("c", 2, EventType.STOP, 5_000, 305_000));
        fixture.publish(TOPIC, before);
        CamelContext first = fixture.consume(TOPIC, GROUP, 1);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> processedTo(TOPIC, 0) == 9);
            assertThat(fixture.storedEntries(List.of("restart-u"))).containsOnlyKeys("a", "c");
            // committed up to b's first event, with the whole partition processed
            OffsetAndMetadata committed = committed(TOPIC, 0);
            assertThat(committed.offset()).isEqualTo(3);
            assertThat(CommitMetadata.processed(committed)).isEqualTo(9);
            assertThat(ConsumerLag.position(fixture.broker.bootstrap(), GROUP, TOPIC))
                    .isEqualTo(new ConsumerLag.Position(0, 6));
        } finally {
            first.stop();
        }
        Map<String, HistoryEntry> written = fixture.storedEntries(List.of("restart-u"));

        // the whole cluster restarts: the grid's sessions and cached entries are gone, Kafka and the store are not
        fixture.member.getMap(SessionProcessor.SESSIONS).clear();
        fixture.member.getMap(SessionProcessor.LIFETIME_MAP).clear();
        fixture.member.getMap(HistoryCache.ENTRIES).clear();
        fixture.publish(TOPIC, List.of(event("b", 5, EventType.STOP, 90_000, 230_000)));

        CamelContext second = fixture.consume(TOPIC, GROUP, 1);
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> fixture.storedEntries(List.of("restart-u")).containsKey("b"));
            HistoryEntry b = fixture.storedEntries(List.of("restart-u")).get("b");
            // START at 100 s, watched 0-30 s and 30-60 s before the pause, 60-90 s after the resume
            assertThat(b).extracting(HistoryEntry::startedAt, HistoryEntry::endedAt, HistoryEntry::watchedMs,
                    HistoryEntry::lastPositionMs).containsExactly(100_000L, 230_000L, 90_000L, 90_000L);
            await().atMost(Duration.ofSeconds(60)).until(() -> committed(TOPIC, 0).offset() == 10);
            // a and c read again: unchanged, not duplicated
            Map<String, HistoryEntry> after = fixture.storedEntries(List.of("restart-u"));
            assertThat(after).hasSize(3);
            assertThat(after.get("a")).isEqualTo(written.get("a"));
            assertThat(after.get("c")).isEqualTo(written.get("c"));
        } finally {
            second.stop();
        }
    }

    @Test
    void aConsumerTakingAPartitionOverHoldsWhatWasProcessedBeforeAndProcessesOnlyWhatWasNot() throws Exception {
        String topic = "vh-takeover";
        fixture.broker.createTopic(topic, 1);
        fixture.publish(topic, List.of(event("t-open", 1, EventType.START, 0, 1_000),
                event("t-open", 2, EventType.HEARTBEAT, 20_000, 21_000), event("t-done", 1, EventType.START, 0, 2_000),
                event("t-done", 2, EventType.STOP, 5_000, 7_000)));
        CamelContext first = fixture.consume(topic, topic, 1);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                OffsetAndMetadata c = committed(topic, 0);
                return c != null && CommitMetadata.processed(c) == 4;
            });
            assertThat(committed(topic, 0).offset()).isZero();
        } finally {
            first.stop();
        }
        long processedBefore = fixture.processor.processedCount();

        // a rescale, a rebalance: another consumer reads the partition from offset 0 on the same grid
        fixture.publish(topic, List.of(event("t-open", 3, EventType.STOP, 30_000, 31_000)));
        CamelContext second = fixture.consume(topic, topic, 1);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> committed(topic, 0).offset() == 5);
            assertThat(fixture.processor.processedCount() - processedBefore).isEqualTo(1);   // the STOP alone
            assertThat(CommitMetadata.processed(committed(topic, 0))).isEqualTo(5);
            assertThat(fixture.storedEntries(List.of("t-u")).get("t-open"))
                    .extracting(HistoryEntry::startedAt, HistoryEntry::watchedMs).containsExactly(1_000L, 30_000L);
        } finally {
            second.stop();
        }
    }

    /**
     * A second consumer joins: the eager rebalance revokes both partitions from the first consumer, which keeps one
     * and reads it again from its commit, as the newcomer reads the other. Neither processes again what was
     * processed: the count grows by the two STOPs alone.
     */
    @Test
    void aRebalanceReadsPartitionsAgainWithoutProcessingAgainWhatWasProcessed() throws Exception {
        String topic = "vh-rebalance";
        fixture.broker.createTopic(topic, 2);
        CamelContext first = fixture.consume(topic, topic, 1);
        CamelContext second = null;
        try {
            for (int p = 0; p < 2; p++) {
                send(topic, p, event("rb-open" + p, 1, EventType.START, 0, 1_000),
                        event("rb-open" + p, 2, EventType.HEARTBEAT, 5_000, 6_000),
                        event("rb-other" + p, 1, EventType.START, 0, 2_000));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> processedTo(topic, 0) == 3 && processedTo(topic, 1) == 3);
            long processedBefore = fixture.processor.processedCount();

            second = fixture.consume(topic, topic, 1);
            await().atMost(Duration.ofSeconds(60)).until(() -> members(topic) == 2);
            for (int p = 0; p < 2; p++) {
                send(topic, p, event("rb-open" + p, 3, EventType.STOP, 9_000, 10_000));
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> fixture.storedEntries(List.of("rb-u")).keySet()
                    .containsAll(List.of("rb-open0", "rb-open1")));
            // a batch is counted after its entries are written; and each partition is processed in offset order, so
            // a record read again would be counted by the time both STOPs are
            await().atMost(Duration.ofSeconds(60)).until(() -> fixture.processor.processedCount() - processedBefore >= 2);
            assertThat(fixture.processor.processedCount() - processedBefore).isEqualTo(2);
            assertThat(fixture.storedEntries(List.of("rb-u")).get("rb-open0").watchedMs()).isEqualTo(9_000);
            await().atMost(Duration.ofSeconds(60)).until(() -> committed(topic, 0).offset() == 2);  // rb-other0 held
        } finally {
            if (second != null) {
                second.stop();
            }
            first.stop();
        }
    }

    /**
     * Some of the grid's partitions are lost while the cluster stays up (a member dies with no backup of them left):
     * the open sessions that lived there lose their events from the grid, and the consumer reads them again from
     * Kafka without waiting for a restart, so each session's entry is whole.
     */
    @Test
    void theOpenSessionsOfPartitionsTheGridLostAreReadAgainAndTheirEntriesAreWhole() throws Exception {
        String topic = "vh-loss";
        fixture.broker.createTopic(topic, 1);
        HazelcastInstance other = joinWithoutBackups();
        List<String> sessions = IntStream.range(0, 40).mapToObj(i -> "gl-" + i).toList();
        List<PlaybackEvent> opened = new ArrayList<>();
        for (String s : sessions) {
            opened.add(event(s, 1, EventType.START, 0, 1_000));
            opened.add(event(s, 2, EventType.HEARTBEAT, 20_000, 21_000));
        }
        long readAgainBefore = fixture.processor.partitionsReadAgain();
        CamelContext camel = fixture.consume(topic, topic, 1);
        try {
            fixture.publish(topic, opened);
            await().atMost(Duration.ofSeconds(60)).until(() -> processedTo(topic, 0) == opened.size());
            assertThat(committed(topic, 0).offset()).as("every session open, so held at its first event").isZero();

            Member dying = other.getCluster().getLocalMember();
            List<String> lost = sessions.stream().filter(s -> dying.equals(
                    fixture.member.getPartitionService().getPartition(s).getOwner())).toList();
            assertThat(lost).as("sessions living on the member that dies").isNotEmpty().hasSizeLessThan(40);
            Object lifetime = fixture.member.getMap(SessionProcessor.LIFETIME_MAP).get(SessionProcessor.SESSIONS);
            other.getLifecycleService().terminate();
            await().atMost(Duration.ofSeconds(60)).until(() -> fixture.member.getCluster().getMembers().size() == 1
                    && fixture.member.getPartitionService().isClusterSafe());
            assertThat(lost).as("gone from the grid").noneMatch(s -> fixture.member.getMap(SessionProcessor.SESSIONS)
                    .containsKey(s));

            fixture.publish(topic, sessions.stream().map(s -> event(s, 3, EventType.STOP, 30_000, 31_000)).toList());
            // every entry as the whole stream gives it: START at 1 s, watched 0-20 s and 20-30 s
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Map<String, HistoryEntry> stored = fixture.storedEntries(List.of("gl-u"));
                return sessions.stream().allMatch(s -> stored.containsKey(s) && stored.get(s).startedAt() == 1_000
                        && stored.get(s).watchedMs() == 30_000 && stored.get(s).endedAt() == 31_000);
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> committed(topic, 0).offset() == 3L * sessions.size());
            assertThat(fixture.processor.partitionsReadAgain() - readAgainBefore).isEqualTo(1);
            assertThat(fixture.member.getMap(SessionProcessor.LIFETIME_MAP).get(SessionProcessor.SESSIONS))
                    .as("a partition taken over from now on is processed again").isNotEqualTo(lifetime);
        } finally {
            camel.stop();
        }
    }

    /** A second member in the fixture's cluster, keeping no backups, once partitions have moved to it. */
    private static HazelcastInstance joinWithoutBackups() {
        String cluster = fixture.member.getConfig().getClusterName();
        int first = fixture.member.getCluster().getLocalMember().getAddress().getPort();
        HazelcastInstance other = LoopbackMembers.onFreePort(port -> ClusterMembers.start(new MemberSettings(cluster,
                port, List.of("127.0.0.1:" + first, "127.0.0.1:" + port), "127.0.0.1", 0, 0)));
        await().atMost(Duration.ofSeconds(60)).until(() -> fixture.member.getCluster().getMembers().size() == 2
                && fixture.member.getPartitionService().isClusterSafe());
        return other;
    }

    private static long processedTo(String topic, int partition) throws Exception {
        OffsetAndMetadata c = committed(topic, partition);
        return c == null ? -1 : CommitMetadata.processed(c);
    }

    private static int members(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", fixture.broker.bootstrap()))) {
            return (int) admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                    .get(10, TimeUnit.SECONDS).members().stream().filter(m -> !m.assignment().topicPartitions()
                            .isEmpty()).count();
        }
    }

    @Test
    void aSessionWhoseStopAnotherPartitionBroughtHoldsItsFirstPartitionNoLonger() throws Exception {
        String topic = "vh-spread";
        fixture.broker.createTopic(topic, 2);
        CamelContext camel = fixture.consume(topic, topic, 1);
        try {
            send(topic, 0, event("sp-a", 1, EventType.START, 0, 1_000), event("sp-a", 2, EventType.HEARTBEAT,
                    9_000, 10_000));
            await().atMost(Duration.ofSeconds(60)).until(() -> committed(topic, 0) != null
                    && CommitMetadata.processed(committed(topic, 0)) == 2);
            assertThat(committed(topic, 0).offset()).isZero();      // sp-a is open: held

            send(topic, 1, event("sp-a", 3, EventType.STOP, 12_000, 13_000));
            await().atMost(Duration.ofSeconds(60)).until(() -> fixture.storedEntries(List.of("sp-u"))
                    .containsKey("sp-a"));
            // the next record of partition 0 asks about sp-a again: written, so partition 0 is committed to its end
            send(topic, 0, event("sp-b", 1, EventType.START, 0, 20_000), event("sp-b", 2, EventType.STOP, 1_000,
                    21_000));
            await().atMost(Duration.ofSeconds(60)).until(() -> committed(topic, 0).offset() == 4);
            assertThat(committed(topic, 1).offset()).isEqualTo(1);
        } finally {
            camel.stop();
        }
    }

    private static void send(String topic, int partition, PlaybackEvent... events) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                fixture.broker.bootstrap(), "acks", "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (PlaybackEvent e : events) {
                producer.send(new ProducerRecord<>(topic, partition, null, EventCodec.write(e))).get();
            }
        }
    }

    private static OffsetAndMetadata committed(String topic, int partition) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", fixture.broker.bootstrap()))) {
            return admin.listConsumerGroupOffsets(topic).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .get(new TopicPartition(topic, partition));
        }
    }

    /** An event of the session's user: the part of its id before the first dash ("restart" for "a", "b", "c"). */
    private static PlaybackEvent event(String session, long seq, EventType type, long position, long clientTs) {
        return new PlaybackEvent(session + "-e" + seq, session, user(session), session + "-t", type, seq, position,
                clientTs, "tv", false);
    }

    private static String user(String session) {
        int dash = session.indexOf('-');
        return (dash < 0 ? "restart" : session.substring(0, dash)) + "-u";
    }
}
