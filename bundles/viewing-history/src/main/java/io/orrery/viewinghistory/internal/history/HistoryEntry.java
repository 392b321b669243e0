package io.orrery.viewinghistory.internal.history;

/**
 * One viewing-history entry, one per session, as SPEC.md defines it; {@code userId} and {@code version} (the
 * session state's, so an older computation never overwrites a newer one, and one of a lost state's successor
 * completes the entry instead: {@link EntryMerge}) are kept beside it.
 */
public record HistoryEntry(String sessionId, String userId, String titleId, String device, long startedAt,
                           long endedAt, long watchedMs, long lastPositionMs, boolean hidden, long version) {
}
