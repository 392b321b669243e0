package io.orrery.queue.internal;

import java.util.List;

/**
 * The queue's named crash points ({@link io.orrery.api.fault.CrashPoints}): places where a member's death, or the
 * whole cluster's, opens a window a test must prove closed. Each is reached with the member's name as its scope.
 * Off unless a test arms one (one volatile read each).
 */
public final class QueueCrashPoints {

    /** The journal writer took its batches from the shards and has not written them to the store yet. */
    public static final String JOURNAL_TAKEN = "queue.journal.taken";
    /** The journal writer committed its batches and has not marked them written in the shards yet. */
    public static final String JOURNAL_STORED = "queue.journal.stored";
    /** A shard operation changed the primary replica; its reply and backups are not sent yet. */
    public static final String SHARD_APPLIED = "queue.shard.applied";
    /** A backup replica is about to apply the primary's operation (arming it drops or delays a backup). */
    public static final String BACKUP_APPLY = "queue.shard.backup";
    /** A claimer is about to call its next shard; earlier shards of the same claim may have leased messages. */
    public static final String CLAIM_NEXT_SHARD = "queue.claim.next-shard";
    /** A claimer received leased messages from a shard; the consumer has not got them yet. */
    public static final String CLAIM_LEASED = "queue.claim.leased";
    /** The lease reaper is about to visit due shards. */
    public static final String REAPER_TICK = "queue.reaper.tick";
    /** A restore from the store sent one chunk of rows to a shard; others may not be sent yet. */
    public static final String RESTORE_CHUNK = "queue.restore.chunk";
    /**
     * A journal write found rows missing and is about to insert them (another writer storing one of them now is the
     * race the write covers). Not among {@link #ALL}: a crash there only rolls the write back.
     */
    public static final String UPDATED_BEFORE_INSERT = "queue.journal.updated-before-insert";

    /** Every point, for randomised schedules. */
    public static final List<String> ALL = List.of(JOURNAL_TAKEN, JOURNAL_STORED, SHARD_APPLIED, BACKUP_APPLY,
            CLAIM_NEXT_SHARD, CLAIM_LEASED, REAPER_TICK, RESTORE_CHUNK);

    private QueueCrashPoints() {
    }
}
