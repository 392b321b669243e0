package io.orrery.queue.grid;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import io.orrery.api.queue.MessageState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The shard alone: replicas stay equal, journal bookkeeping, tombstone bounds. */
class ShardTest {

    private static final InternalSerializationService SERIALIZATION = new DefaultSerializationServiceBuilder().build();
    private static final ShardRules RULES = new ShardRules(3, 0, 60_000_000L, 5, true);

    private static Slot msg(String id, int priority, String key, long at) {
        return Slot.incoming(id, priority, Slot.NONE, Slot.NONE, key, 0, "a".repeat(32), "b".repeat(16),
                new byte[] {1, 2}, at);
    }

    private static Shard copy(Shard s) {
        return SERIALIZATION.toObject(SERIALIZATION.toData(s));
    }

    private static List<String> everything(Shard s) {
        List<String> out = new ArrayList<>();
        for (MessageState st : MessageState.values()) {
            s.browse(st, 1000).forEach(x -> out.add(st + ":" + x.id + ":" + x.attempts + ":" + x.leaseToken
                    + ":" + x.version));
        }
        return out;
    }

    @Test
    void aBackupReplayingTheSameOperationsStaysEqualToThePrimary() {
        Random random = new Random(42);
        Shard primary = Shard.create(1);
        List<Consumer<Shard>> ops = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        long now = 1_000;
        for (int i = 0; i < 400; i++) {
            long t = now + i * 10_000L;
            int kind = random.nextInt(5);
            String id = "m" + random.nextInt(60);
            String key = random.nextInt(3) == 0 ? "k" + random.nextInt(4) : null;
            int priority = random.nextInt(10);
            ops.add(switch (kind) {
                case 0, 1 -> s -> s.enqueue(msg(id, priority, key, t), t, RULES);
                case 2 -> s -> s.claim(2, 50_000, t, RULES).forEach(c -> tokens.add(c.id + "|" + c.leaseToken));
                case 3 -> s -> s.reap(t, RULES);
                default -> s -> {
                    if (!tokens.isEmpty()) {
                        String[] tk = tokens.get(tokens.size() - 1).split("\\|");
                        if (priority % 2 == 0) {
                            s.ack(tk[0], tk[1], t, RULES);
                        } else {
                            s.nack(tk[0], tk[1], 20_000, "x", t, RULES);
                        }
                    }
                };
            });
        }
        // the backup is a serialized copy taken half way (as after a migration), then follows the same operations
        for (int i = 0; i < 200; i++) {
            ops.get(i).accept(primary);
        }
        Shard backup = copy(primary);
        assertThat(everything(backup)).isEqualTo(everything(primary));
        for (int i = 200; i < 400; i++) {
            ops.get(i).accept(primary);
            ops.get(i).accept(backup);
        }
        assertThat(everything(backup)).isEqualTo(everything(primary));
        assertThat(backup.view().version()).isEqualTo(primary.view().version());
        assertThat(everything(copy(backup))).isEqualTo(everything(primary));
    }

    @Test
    void theExclusiveLaneOffersItsMostUrgentMessage() {
        Shard s = Shard.create(1);
        s.enqueue(msg("low", 1, "k", 1), 1, RULES);
        s.enqueue(msg("high", 8, "k", 2), 2, RULES);
        s.enqueue(msg("other", 5, null, 3), 3, RULES);
        assertThat(s.claim(10, 1000, 4, RULES)).extracting(Slot::id).containsExactly("high", "other");
        assertThat(s.readyCount()).isZero();
        assertThat(s.stats().count(MessageState.PENDING)).isEqualTo(1);
    }

    @Test
    void theJournalOwesEveryChangeUntilWritten() {
        Shard s = Shard.create(1);
        s.enqueue(msg("a", 5, null, 1), 1, RULES);
        s.enqueue(msg("b", 5, null, 2), 2, RULES);
        JournalBatch first = s.journalBatch(10);
        assertThat(first.entries()).extracting(Slot::id).containsExactly("a", "b");
        assertThat(first.oldestChange()).isEqualTo(1);
        Slot claimed = s.claim(1, 1000, 3, RULES).get(0);
        s.journalWritten(List.of("a", "b"), first.entries().stream().mapToLong(Slot::version).toArray(), -1);
        // "a" changed again after the batch was taken: still owed
        assertThat(s.journalBatch(10).entries()).extracting(Slot::id).containsExactly(claimed.id);
        s.ack(claimed.id, claimed.leaseToken, 4, RULES);
        assertThat(s.journalBatch(10).entries()).singleElement()
                .satisfies(t -> assertThat(t.state()).isEqualTo(MessageState.COMPLETED));
        // a message that finishes before it was ever written owes the store nothing
        s.enqueue(msg("c", 9, null, 5), 5, RULES);
        Slot c = s.claim(1, 1000, 5, RULES).get(0);
        s.ack(c.id, c.leaseToken, 5, RULES);
        assertThat(s.journalBatch(10).entries()).extracting(Slot::id).doesNotContain("c");
        s.purge(6, RULES);
        assertThat(s.journalBatch(10).purgedThrough()).isPositive();
    }

    /** Runs an operation on a replica as Hazelcast would (the primary's path) and reads the reply. */
    private static ShardReply run(ShardOperation op, Shard replica) {
        return ShardReply.fromBytes(op.on("acme/q#0").process(new java.util.AbstractMap.SimpleEntry<>("acme/q#0",
                replica)));
    }

    @Test
    void aReplySaysTheHeadImprovedOnlyWhenAMoreUrgentMessageHeadsTheShard() {
        Shard s = Shard.create(1);
        assertThat(run(new EnqueueOperation(1, RULES, List.of(msg("low", 0, null, 1))), s).headImproved())
                .as("turned claimable").isTrue();
        assertThat(run(new EnqueueOperation(2, RULES, List.of(msg("later", 0, null, 2))), s).headImproved())
                .as("queued behind the head").isFalse();
        assertThat(run(new EnqueueOperation(3, RULES, List.of(msg("high", 9, null, 3))), s).headImproved())
                .as("a more urgent head").isTrue();
        Slot high = run(new ClaimOperation(4, RULES, 1, 1_000), s).slots().get(0);
        assertThat(high.id()).isEqualTo("high");
        ShardReply nacked = run(new SettleOperation(5, RULES,
                List.of(new Settlement(Settlement.Kind.NACK, "high", high.leaseToken(), 0, "retry"))), s);
        assertThat(nacked.headImproved()).as("retried at once ahead of the head").isTrue();
        assertThat(run(new ClaimOperation(6, RULES, 1, 1_000), s).headImproved()).as("a claim").isFalse();
    }

    @Test
    void aLeaseTokenIsNeverIssuedTwiceWhenABackupMissedTheClaim() {
        Shard primary = Shard.create(1);
        primary.enqueue(msg("m", 5, null, 1), 1, RULES);
        Shard backup = copy(primary);
        // the primary leases "m" and answers; its backup never applies the claim (timed out), then the primary dies
        String first = run(new ClaimOperation(2, RULES, 1, 1_000), primary).slots().get(0).leaseToken();
        // the backup, now primary, leases "m" again at the same shard version
        String second = run(new ClaimOperation(3, RULES, 1, 1_000), backup).slots().get(0).leaseToken();

        assertThat(second).isNotEqualTo(first);
        assertThat(backup.ack("m", first, 4, RULES)).as("the first holder's token is void").isFalse();
    }

    @Test
    void aMessageEndedAfterItsWriteWasTakenIsWrittenAsEnded() {
        Shard s = Shard.create(1);
        s.enqueue(msg("m", 5, null, 1), 1, RULES);
        Slot c = s.claim(1, 1000, 2, RULES).get(0);
        JournalBatch taken = s.journalBatch(10);
        s.ack(c.id, c.leaseToken, 3, RULES); // lands between the take and the written mark
        s.journalWritten(List.of("m"), taken.entries().stream().mapToLong(Slot::version).toArray(), -1);

        assertThat(s.journalBatch(10).entries()).singleElement()
                .satisfies(t -> assertThat(t.state()).isEqualTo(MessageState.COMPLETED));
        assertThat(copy(s).journalBatch(10).entries()).as("backups know it too").hasSize(1);
    }

    @Test
    void finishedIdsAreRememberedUpToTheBound() {
        Shard s = Shard.create(1);
        for (int i = 0; i < 8; i++) {
            s.enqueue(msg("m" + i, 5, null, i), i, RULES);
            Slot c = s.claim(1, 1000, i, RULES).get(0);
            s.ack(c.id, c.leaseToken, i, RULES);
        }
        assertThat(s.stats().count(MessageState.COMPLETED)).isEqualTo(5);
        assertThat(s.enqueue(msg("m7", 5, null, 9), 9, RULES)).isFalse();
        assertThat(s.enqueue(msg("m0", 5, null, 9), 9, RULES)).as("forgotten beyond the bound").isTrue();
    }
}
