package io.orrery.viewinghistory.internal.shadow;

import java.util.List;

/**
 * One comparison of the two stores of shadow mode.
 *
 * @param entriesCompared    sessions with an entry in either store
 * @param entryMismatches    of those, sessions missing from one store or whose entries differ
 * @param bookmarksCompared  user-and-title pairs with a bookmark in either store
 * @param bookmarkMismatches of those, pairs missing from one store or whose bookmarks differ
 * @param listed             the first mismatches, at most the limit asked for
 */
public record ShadowReport(long entriesCompared, long entryMismatches, long bookmarksCompared,
                           long bookmarkMismatches, List<Mismatch> listed) {

    /** One session's entry, or one user's bookmark for a title, that the two stores do not agree on. */
    public record Mismatch(Kind kind, String key, String detail) {
    }

    public enum Kind { ENTRY, BOOKMARK }

    public static final ShadowReport NONE = new ShadowReport(0, 0, 0, 0, List.of());

    public long mismatches() {
        return entryMismatches + bookmarkMismatches;
    }
}
