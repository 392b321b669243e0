package io.orrery.queue.grid;

/**
 * What the member owning a shard was last told about it: its next due time and whether it owes the store
 * something. A shard tells its member only when that changes in a way the member must act on, which keeps the
 * member's bookkeeping off the common path.
 */
final class OwnerNotice {

    private long toldDue = Slot.NONE;
    private boolean toldOwing;

    /**
     * Whether to tell the member now: when the next due time moved earlier than what it was told (a later one only
     * makes the reaper look once too early, and its visit tells the truth), or when the shard newly owes the store.
     */
    boolean worthTelling(boolean force, long due, boolean owing) {
        boolean tell = force || due < toldDue || (owing && !toldOwing);
        if (tell || due == Slot.NONE) {
            toldDue = due;
        }
        toldOwing = owing;
        return tell;
    }
}
