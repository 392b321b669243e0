package io.orrery.viewinghistory.internal.rest;

import io.orrery.api.rest.RestAnswer;
import io.orrery.api.rest.RestCall;
import io.orrery.api.rest.RestProblem;
import io.orrery.viewinghistory.internal.history.Bookmark;
import io.orrery.viewinghistory.internal.history.HistoryCache;
import io.orrery.viewinghistory.internal.history.HistoryEntry;
import io.orrery.viewinghistory.internal.history.HistoryTable;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The read side: a user's viewing history newest first (hidden entries only on request), hiding an entry, and
 * the user's bookmarks. Lists are {@code {"items": [...], "next": cursor|null}} pages of {@code ?limit=} (default
 * 20, at most 100); the cursor is the last item's key, so pages stay stable while entries are added. Pages are
 * sorted here, in the order the cursor compares in, not in the store's: a store collating text by locale (PostgreSQL
 * created with one) sorts {@code a1} before {@code B2}, and a cursor compared otherwise would skip or repeat items.
 */
public final class HistoryQueries {

    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
    /** Newest first: the later end, then the larger session id. */
    private static final Comparator<HistoryEntry> NEWEST_FIRST = Comparator.comparingLong(HistoryEntry::endedAt)
            .thenComparing(HistoryEntry::sessionId).reversed();

    /** An entry as the API shows it (SPEC.md's fields). */
    public record EntryView(String sessionId, String titleId, String device, long startedAt, long endedAt,
                            long watchedMs, long lastPositionMs, boolean hidden) {
        static EntryView of(HistoryEntry e) {
            return new EntryView(e.sessionId(), e.titleId(), e.device(), e.startedAt(), e.endedAt(), e.watchedMs(),
                    e.lastPositionMs(), e.hidden());
        }
    }

    /** One page. */
    public record Page<T>(List<T> items, String next) {
    }

    private final HistoryCache cache;
    private final HistoryTable table;

    public HistoryQueries(HistoryCache cache, HistoryTable table) {
        this.cache = cache;
        this.table = table;
    }

    public RestAnswer history(RestCall call) throws SQLException {
        String user = user(call);
        boolean includeHidden = flag(call.query("includeHidden"));
        int limit = limit(call.query("limit"));
        String after = cursor(call.query("cursor"));
        List<HistoryEntry> all = cache.entries(user).stream().filter(e -> includeHidden || !e.hidden())
                .sorted(NEWEST_FIRST).toList();
        int start = 0;
        if (after != null) {
            int slash = after.indexOf('/');
            long endedAt = parseLong(slash < 0 ? "" : after.substring(0, slash));
            String session = after.substring(slash + 1);
            // newest first: skip what sorts at or before the cursor (a later end, or the same end and a larger id)
            while (start < all.size() && (all.get(start).endedAt() > endedAt || (all.get(start).endedAt() == endedAt
                    && all.get(start).sessionId().compareTo(session) >= 0))) {
                start++;
            }
        }
        List<HistoryEntry> page = all.subList(start, Math.min(all.size(), start + limit));
        String next = start + limit < all.size() ? encode(key(page.get(page.size() - 1))) : null;
        return RestAnswer.of(200, new Page<>(page.stream().map(EntryView::of).toList(), next));
    }

    public RestAnswer hide(RestCall call) throws SQLException {
        String user = user(call);
        String session = call.path("sessionId");
        if (!cache.hide(user, session)) {
            throw RestProblem.notFound("sessionId", "sessionId: user " + user + " has no session " + session);
        }
        return RestAnswer.of(200, java.util.Map.of("sessionId", session, "hidden", true));
    }

    public RestAnswer bookmarks(RestCall call) throws SQLException {
        String user = user(call);
        int limit = limit(call.query("limit"));
        String after = cursor(call.query("cursor"));
        List<Bookmark> all = table.bookmarks(user).stream()
                .filter(b -> after == null || b.titleId().compareTo(after) > 0)
                .sorted(Comparator.comparing(Bookmark::titleId)).toList();
        List<Bookmark> page = all.subList(0, Math.min(limit, all.size()));
        String next = all.size() > limit ? encode(page.get(page.size() - 1).titleId()) : null;
        return RestAnswer.of(200, new Page<>(page, next));
    }

    private static String user(RestCall call) {
        String user = call.path("user");
        if (user == null || !USER.matcher(user).matches()) {
            throw RestProblem.badRequest("user", "user: must be 1 to 128 letters, digits or . _ : @ -");
        }
        return user;
    }

    private static int limit(String text) {
        if (text == null) {
            return 20;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= 100) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw RestProblem.badRequest("limit", "limit: must be an integer from 1 to 100");
    }

    private static boolean flag(String text) {
        if (text == null || text.equals("false")) {
            return false;
        }
        if (text.equals("true")) {
            return true;
        }
        throw RestProblem.badRequest("includeHidden", "includeHidden: must be true or false");
    }

    private static String cursor(String text) {
        if (text == null) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw RestProblem.badRequest("cursor", "cursor: not one this server gave out");
        }
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw RestProblem.badRequest("cursor", "cursor: not one this server gave out");
        }
    }

    private static String key(HistoryEntry e) {
        return e.endedAt() + "/" + e.sessionId();
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }
}
