package io.orrery.viewinghistory.internal.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How far partitions may be committed while sessions with events in them are not in the store yet. */
class CommitHorizonTest {

    private static final TopicPartition P0 = new TopicPartition("events", 0);
    private static final TopicPartition P1 = new TopicPartition("events", 1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z").toEpochMilli());
    private final CommitHorizon horizon = new CommitHorizon(Duration.ofDays(2), clock);
    /** The consumer reading both partitions, unless a test says otherwise. */
    private final CommitHorizon.Owner me = new CommitHorizon.Owner(new Object(), 1);

    @BeforeEach
    void readBothPartitions() {
        horizon.own(P0, me);
        horizon.own(P1, me);
    }

    @Test
    void aPartitionIsCommittedUpToItsOldestHeldSessionAndPastItsLastRecordOnceNoneIsHeld() {
        assertThat(horizon.committable(P0, 20)).isEqualTo(20);
        assertThat(horizon.hold(P0, me, "s1", 5)).isTrue();
        assertThat(horizon.hold(P0, me, "s2", 7)).isTrue();
        assertThat(horizon.hold(P1, me, "s3", 2)).isTrue();

        assertThat(horizon.committable(P0, 20)).isEqualTo(5);
        assertThat(horizon.committable(P1, 9)).isEqualTo(2);
        horizon.release(P0, me, List.of("s1"));
        assertThat(horizon.committable(P0, 20)).isEqualTo(7);
        horizon.release(P0, me, List.of("s2"));
        horizon.release(P1, me, List.of("s3"));
        assertThat(horizon.committable(P0, 20)).isEqualTo(20);
        assertThat(horizon.committable(P1, 9)).isEqualTo(9);
    }

    @Test
    void aSessionStaysHeldAtItsEarliestOffsetAndMovesBackWhenReadAgainFromBefore() {
        horizon.hold(P0, me, "s1", 5);
        assertThat(horizon.hold(P0, me, "s1", 9)).isFalse();        // a later batch: still held at 5
        assertThat(horizon.committable(P0, 20)).isEqualTo(5);

        assertThat(horizon.hold(P0, me, "s1", 3)).isFalse();        // read again from before: held at 3, not new
        assertThat(horizon.committable(P0, 20)).isEqualTo(3);
        assertThat(horizon.held(P0)).isEqualTo(1);
    }

    @Test
    void aSessionWrittenThroughOnePartitionStaysHeldInAnotherUntilAskedAbout() {
        horizon.hold(P0, me, "s1", 5);
        horizon.hold(P1, me, "s1", 8);

        horizon.release(P1, me, Set.of("s1"));

        assertThat(horizon.held(P0)).isEqualTo(1);
        assertThat(horizon.held(P1)).isZero();
    }

    @Test
    void heldSessionsAreAskedAboutInTurnSoOpenOnesAtTheFrontHoldUpNoOthers() {
        for (int i = 0; i < 5; i++) {
            horizon.hold(P0, me, "s" + i, 10 + i);
        }

        assertThat(horizon.due(P0, me, 2)).containsExactly("s0", "s1");
        assertThat(horizon.due(P0, me, 2)).containsExactly("s2", "s3");
        horizon.release(P0, me, List.of("s3"));
        assertThat(horizon.due(P0, me, 2)).containsExactly("s4", "s0");    // past the end, from the front again
        assertThat(horizon.due(P0, me, 10)).containsExactly("s1", "s2", "s4", "s0");   // each once
        assertThat(horizon.due(P1, me, 3)).isEmpty();
    }

    @Test
    void aSessionHeldLongerThanTheGridKeepsAStateIsLetGoWithoutAsking() {
        horizon.hold(P0, me, "old", 1);
        clock.advance(Duration.ofDays(1));
        horizon.hold(P0, me, "young", 2);
        clock.advance(Duration.ofDays(1).plusMinutes(1));

        assertThat(horizon.due(P0, me, 10)).containsExactly("young");

        assertThat(horizon.committable(P0, 100)).isEqualTo(2);
    }

    @Test
    void aPartitionTakenByAnotherConsumerStartsOverWithNothingHeld() {
        Object consumer = new Object();
        CommitHorizon.Owner first = new CommitHorizon.Owner(consumer, 1);
        assertThat(horizon.own(P0, first)).isTrue();
        horizon.hold(P0, first, "s1", 5);
        assertThat(horizon.own(P0, new CommitHorizon.Owner(consumer, 1))).isFalse();
        assertThat(horizon.committable(P0, 20)).isEqualTo(5);

        // a reconnect, a rescale: another consumer reads the partition on from its commit
        assertThat(horizon.own(P0, new CommitHorizon.Owner(new Object(), 1))).isTrue();

        assertThat(horizon.held(P0)).isZero();
        assertThat(horizon.committable(P0, 20)).isEqualTo(20);
    }

    @Test
    void aRebalanceThatLeavesAConsumerItsPartitionsStartsThemOverToo() {
        Object consumer = new Object();
        CommitHorizon.Owner before = new CommitHorizon.Owner(consumer, 1);
        horizon.own(P0, before);
        horizon.own(P1, before);
        horizon.hold(P0, before, "s1", 5);
        horizon.hold(P1, before, "s2", 8);

        // the next generation: both were revoked and are read again from their commits
        assertThat(horizon.own(P0, new CommitHorizon.Owner(consumer, 2))).isTrue();

        assertThat(horizon.held(P0)).isZero();
        assertThat(horizon.held(P1)).isZero();                  // dropped with its generation, not kept stale
        assertThat(horizon.own(P1, new CommitHorizon.Owner(consumer, 2))).isTrue();
    }

    @Test
    void aConsumerThatLostThePartitionMidBatchLetsGoOfNothingItsNewOwnerHolds() {
        horizon.hold(P0, me, "s1", 5);
        CommitHorizon.Owner next = new CommitHorizon.Owner(new Object(), 2);
        horizon.own(P0, next);                                  // me, past max.poll.interval, is out of the group
        horizon.hold(P0, next, "s1", 9);                         // read further by the new owner, not written yet

        // me's batch ends: it wrote s1 as far as it had read, or the grid said s1 was settled before next's append
        horizon.release(P0, me, List.of("s1"));
        assertThat(horizon.hold(P0, me, "s2", 12)).isFalse();
        assertThat(horizon.due(P0, me, 10)).isEmpty();

        assertThat(horizon.held(P0)).isEqualTo(1);
        assertThat(horizon.committable(P0, 20)).isEqualTo(9);
        assertThat(horizon.due(P0, next, 10)).containsExactly("s1");
    }

    @Test
    void aPartitionHoldingSessionsTheGridLostIsReadAgainFromTheFirstOfThemOnce() {
        horizon.hold(P0, me, "kept", 3);
        horizon.hold(P0, me, "lost-a", 5);
        horizon.hold(P0, me, "lost-b", 8);
        horizon.hold(P1, me, "kept-too", 2);
        assertThat(horizon.rewind(P0, me)).as("nothing lost yet").isEqualTo(-1);

        horizon.lose(session -> session.startsWith("lost"));
        assertThat(horizon.rewind(P1, me)).as("nothing lost there").isEqualTo(-1);
        assertThat(horizon.rewind(P0, me)).isEqualTo(5);
        assertThat(horizon.rewind(P0, me)).as("sent back once").isEqualTo(-1);
        assertThat(horizon.committable(P0, 20)).as("the lost sessions stay held").isEqualTo(3);
        assertThat(horizon.held(P0)).isEqualTo(3);

        horizon.lose(session -> session.equals("lost-b"));
        horizon.lose(session -> session.equals("kept"));
        assertThat(horizon.rewind(P0, me)).as("the earliest of the losses since").isEqualTo(3);
    }

    @Test
    void aPartitionTakenOverBeforeItWasReadAgainStartsOverFromItsCommitInstead() {
        horizon.hold(P0, me, "lost", 5);
        horizon.lose(session -> true);
        CommitHorizon.Owner next = new CommitHorizon.Owner(new Object(), 2);
        assertThat(horizon.rewind(P0, next)).as("not the new owner's to take").isEqualTo(-1);

        horizon.own(P0, next);
        assertThat(horizon.rewind(P0, next)).isEqualTo(-1);
        assertThat(horizon.rewind(P0, me)).isEqualTo(-1);
    }
}
