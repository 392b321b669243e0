package io.orrery.viewinghistory.internal.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.viewinghistory.internal.ProcessorFixture;
import io.orrery.viewinghistory.internal.event.EventType;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
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
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Some of the grid's partitions are lost while the cluster stays up (a member dies with no backup of them left), on
 * a real broker, two Hazelcast members and a store: the open sessions that lived there lose their events from the
 * grid, Kafka still has them (the offsets were never committed past them), and the consumer reads them again from
 * there without waiting for a restart, so each session's entry is whole.
 */
class GridPartitionLossIT {

    private static final String TOPIC = "vh-loss";
    private static final int SESSIONS = 40;
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
    void theOpenSessionsOfLostPartitionsAreReadAgainAndTheirEntriesAreWhole() throws Exception {
        HazelcastInstance other = joinWithoutBackups();
        List<String> sessions = IntStream.range(0, SESSIONS).mapToObj(i -> "gl-" + i).toList();
        List<PlaybackEvent> opened = new ArrayList<>();
        for (String s : sessions) {
            opened.add(event(s, 1, EventType.START, 0, 1_000));
            opened.add(event(s, 2, EventType.HEARTBEAT, 20_000, 21_000));
        }
        CamelContext camel = fixture.consume(TOPIC, TOPIC, 1);
        try {
            fixture.publish(TOPIC, opened);
            await().atMost(Duration.ofSeconds(60)).until(() -> processedTo() == 2 * SESSIONS);
            assertThat(committed().offset()).as("every session open, so held at its first event").isZero();

            Member dying = other.getCluster().getLocalMember();
            List<String> lost = sessions.stream().filter(s -> dying.equals(
                    fixture.member.getPartitionService().getPartition(s).getOwner())).toList();
            assertThat(lost).as("sessions living on the member that dies").isNotEmpty().hasSizeLessThan(SESSIONS);
            Object lifetime = fixture.member.getMap(SessionProcessor.LIFETIME_MAP).get(SessionProcessor.SESSIONS);
            other.getLifecycleService().terminate();
            await().atMost(Duration.ofSeconds(60)).until(() -> fixture.member.getCluster().getMembers().size() == 1);
            await().atMost(Duration.ofSeconds(60)).until(() -> fixture.member.getPartitionService().isClusterSafe());
            assertThat(lost).as("gone from the grid").noneMatch(s -> fixture.member.getMap(SessionProcessor.SESSIONS)
                    .containsKey(s));

            fixture.publish(TOPIC, sessions.stream().map(s -> event(s, 3, EventType.STOP, 30_000, 31_000)).toList());
            await().atMost(Duration.ofSeconds(60)).until(() -> whole(sessions));
            await().atMost(Duration.ofSeconds(60)).until(() -> committed().offset() == 3 * SESSIONS);
            assertThat(fixture.processor.partitionsReadAgain()).isEqualTo(1);
            assertThat(fixture.member.getMap(SessionProcessor.LIFETIME_MAP).get(SessionProcessor.SESSIONS))
                    .as("a partition taken over from now on is processed again").isNotEqualTo(lifetime);
        } finally {
            camel.stop();
        }
    }

    /** Every session's entry as the whole stream gives it: START at 1 s, watched 0-20 s and 20-30 s. */
    private static boolean whole(List<String> sessions) throws Exception {
        Map<String, HistoryEntry> stored = fixture.storedEntries(List.of("gl-u"));
        return sessions.stream().allMatch(s -> stored.containsKey(s) && stored.get(s).startedAt() == 1_000
                && stored.get(s).watchedMs() == 30_000 && stored.get(s).endedAt() == 31_000);
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

    private static long processedTo() throws Exception {
        OffsetAndMetadata c = committed();
        return c == null ? -1 : CommitMetadata.processed(c);
    }

    private static OffsetAndMetadata committed() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", fixture.broker.bootstrap()))) {
            return admin.listConsumerGroupOffsets(TOPIC).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .get(new TopicPartition(TOPIC, 0));
        }
    }

    private static PlaybackEvent event(String session, long seq, EventType type, long position, long clientTs) {
        return new PlaybackEvent(session + "-e" + seq, session, "gl-u", session + "-t", type, seq, position,
                clientTs, "tv", false);
    }
}
