package io.orrery.viewinghistory.internal.history;

/** Where a user stopped in a title: the last position of the session with the latest {@code endedAt}. */
public record Bookmark(String titleId, long positionMs, long updatedAt) {
}
