package io.orrery.engine.internal;

import io.orrery.api.function.CallPort;
import java.util.List;

/**
 * The engine's named crash points ({@link io.orrery.api.fault.CrashPoints}): places where a node that dies leaves work
 * half done, so that a test can kill a member exactly there and check that the survivors, or the cluster restarted
 * from the store, finish it. The two worker points are reached by the function worker (in {@code orrery-functions},
 * through {@link CallPort}) and named here so that crash schedules cover them. The scope passed with each point is the
 * Hazelcast member's name where there is one (the engine core names itself after its member), so a test can halt
 * exactly the member that reached it.
 */
public final class EngineCrashPoints {

    /** An instance was saved; its calls have not been enqueued yet. */
    public static final String SAVED_BEFORE_DISPATCH = "engine.saved-before-dispatch";
    /** A parent was saved with a child workflow pending; the child has not been started. */
    public static final String SAVED_BEFORE_CHILD_START = "engine.saved-before-child-start";
    /** A child that completed or failed was saved; its waiting parents have not been told. */
    public static final String SAVED_BEFORE_PARENT_NOTIFIED = "engine.saved-before-parent-notified";
    /** A result was applied and saved; its message on the results queue has not been acknowledged. */
    public static final String RESULT_APPLIED_BEFORE_ACK = "engine.result-applied-before-ack";
    /** A worker ran a call and enqueued its result; the call's message has not been acknowledged. */
    public static final String RESULT_SENT_BEFORE_CALL_ACK = CallPort.RESULT_SENT_BEFORE_CALL_ACK;
    /** A worker ran a call; its result has not been enqueued. */
    public static final String CALL_RAN_BEFORE_RESULT_SENT = CallPort.CALL_RAN_BEFORE_RESULT_SENT;
    /** A batch of saves was taken by the journal writer and not yet committed to the store. */
    public static final String JOURNAL_TAKEN_BEFORE_COMMIT = "engine.journal-taken-before-commit";

    /**
     * A batch of stored instances is about to be re-evaluated under a newly deployed version. Reached only when a
     * version is deployed over stored instances, so not among {@link #ALL}, which the crash scenario reaches.
     */
    public static final String REEVALUATION_BATCH = "engine.reevaluation-batch";

    /**
     * A store write found rows missing and is about to insert them; another writer storing one of them now is the
     * race the write covers (tests arm it to interleave that writer). Not among {@link #ALL}: a crash there only
     * rolls the write back.
     */
    public static final String ROWS_UPDATED_BEFORE_INSERT = "engine.rows-updated-before-insert";

    /** Every point, for randomised schedules. */
    public static final List<String> ALL = List.of(SAVED_BEFORE_DISPATCH, SAVED_BEFORE_CHILD_START,
            SAVED_BEFORE_PARENT_NOTIFIED, RESULT_APPLIED_BEFORE_ACK, RESULT_SENT_BEFORE_CALL_ACK,
            CALL_RAN_BEFORE_RESULT_SENT, JOURNAL_TAKEN_BEFORE_COMMIT);

    private EngineCrashPoints() {
    }
}
