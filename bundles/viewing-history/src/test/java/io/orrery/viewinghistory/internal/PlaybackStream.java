package io.orrery.viewinghistory.internal;

import io.orrery.viewinghistory.internal.event.EventType;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.internal.history.Bookmark;
import io.orrery.viewinghistory.internal.history.HistoryEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generated playback sessions for tests, and what SPEC.md says their history and bookmarks are, computed here
 * independently of the processor from the clean, in-order stream.
 */
public final class PlaybackStream {

    private final List<List<PlaybackEvent>> sessions = new ArrayList<>();

    private PlaybackStream() {
    }

    /** {@code sessions} sessions of {@code perSession} events over a few users and titles; deterministic per seed. */
    public static PlaybackStream generate(String prefix, int sessions, int perSession, int users, int titles,
                                          long seed) {
        Random random = new Random(seed);
        PlaybackStream stream = new PlaybackStream();
        EventType[] middle = {EventType.HEARTBEAT, EventType.HEARTBEAT, EventType.HEARTBEAT, EventType.PAUSE,
                EventType.RESUME, EventType.SEEK};
        for (int s = 0; s < sessions; s++) {
            String session = prefix + "-s" + s;
            String user = prefix + "-u" + (s % users);
            String title = "t" + random.nextInt(titles);
            String device = random.nextBoolean() ? "tv" : "phone";
            long ts = 1_700_000_000_000L + random.nextInt(10_000_000);
            long position = random.nextInt(60_000);
            List<PlaybackEvent> events = new ArrayList<>();
            for (int i = 0; i < perSession; i++) {
                EventType type = i == 0 ? EventType.START : i == perSession - 1 ? EventType.STOP
                        : middle[random.nextInt(middle.length)];
                if (type == EventType.SEEK) {
                    position = Math.max(0, position + random.nextInt(120_000) - 60_000);
                } else if (type != EventType.START) {
                    position += random.nextInt(30_000);
                }
                ts += 1_000 + random.nextInt(30_000);
                events.add(new PlaybackEvent(session + "-e" + i, session, user, title, type, i * 3L + 1, position, ts,
                        device, random.nextInt(4) == 0));
            }
            stream.sessions.add(events);
        }
        return stream;
    }

    public List<PlaybackEvent> inOrder() {
        return sessions.stream().flatMap(List::stream).toList();
    }

    /** Every event, with {@code duplicates} of them repeated, in a random order. */
    public List<PlaybackEvent> shuffledWithDuplicates(double duplicates, long seed) {
        Random random = new Random(seed);
        List<PlaybackEvent> all = new ArrayList<>(inOrder());
        int extra = (int) Math.round(all.size() * duplicates);
        for (int i = 0; i < extra; i++) {
            all.add(all.get(random.nextInt(all.size())));
        }
        Collections.shuffle(all, random);
        return all;
    }

    /** The entries, by session, per SPEC.md's formula over each clean session. */
    public Map<String, HistoryEntry> expectedEntries() {
        Map<String, HistoryEntry> entries = new HashMap<>();
        for (List<PlaybackEvent> events : sessions) {
            PlaybackEvent first = events.get(0);
            PlaybackEvent last = events.get(events.size() - 1);
            long watched = 0;
            for (int i = 1; i < events.size(); i++) {
                EventType t = events.get(i).type();
                boolean counts = t == EventType.HEARTBEAT || t == EventType.PAUSE || t == EventType.STOP;
                if (counts && events.get(i - 1).type() != EventType.PAUSE) {
                    watched += Math.max(0, events.get(i).positionMs() - events.get(i - 1).positionMs());
                }
            }
            entries.put(first.sessionId(), new HistoryEntry(first.sessionId(), first.userId(), first.titleId(),
                    first.device(), first.clientTs(), last.clientTs(), watched, last.positionMs(), false, 0));
        }
        return entries;
    }

    /** Per user, per title: the last position of the session that ended last. */
    public Map<String, Map<String, Bookmark>> expectedBookmarks() {
        Map<String, Map<String, HistoryEntry>> latest = new HashMap<>();
        Comparator<HistoryEntry> order = Comparator.comparingLong(HistoryEntry::endedAt)
                .thenComparing(HistoryEntry::sessionId);
        for (HistoryEntry e : expectedEntries().values()) {
            latest.computeIfAbsent(e.userId(), u -> new HashMap<>()).merge(e.titleId(), e,
                    (a, b) -> order.compare(a, b) >= 0 ? a : b);
        }
        Map<String, Map<String, Bookmark>> bookmarks = new HashMap<>();
        latest.forEach((user, byTitle) -> byTitle.forEach((title, e) -> bookmarks
                .computeIfAbsent(user, u -> new HashMap<>()).put(title, new Bookmark(title, e.lastPositionMs(), e.endedAt()))));
        return bookmarks;
    }

    public List<String> users() {
        return sessions.stream().map(s -> s.get(0).userId()).distinct().sorted().toList();
    }
}
