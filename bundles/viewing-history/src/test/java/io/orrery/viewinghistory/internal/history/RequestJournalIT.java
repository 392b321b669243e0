package io.orrery.viewinghistory.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.viewinghistory.internal.event.EventType;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The request path's journal on H2 and on a real PostgreSQL, through the subsystem's migrations. */
class RequestJournalIT {

    @RegisterExtension
    static final HistoryStores STORES = new HistoryStores();

    @Test
    void keepsEventsWholeAndBySessionOnH2() throws Exception {
        assertKeepsEvents(new RequestJournal(STORES.h2("vh-journal")));
    }

    @Test
    void keepsEventsWholeAndBySessionOnPostgres() throws Exception {
        assertKeepsEvents(new RequestJournal(STORES.postgres("vh_journal")));
    }

    private static void assertKeepsEvents(RequestJournal journal) throws Exception {
        // the longest event the endpoint accepts: 128-character ids, a 256-character device outside ASCII
        String id = "i".repeat(127);
        PlaybackEvent longest = new PlaybackEvent(id + "e", id + "s", id + "u", id + "t", EventType.HEARTBEAT,
                Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, "\u00e9\"".repeat(128), true);
        List<PlaybackEvent> a = List.of(event("a", 1), event("a", 2), event("a", 3));
        journal.record(a, 1_000);
        journal.record(List.of(event("b", 1), longest), 2_000);
        journal.record(List.of(event("a", 4)), 3_000);

        List<List<PlaybackEvent>> chunks = new ArrayList<>();
        journal.readAll(2, chunks::add);
        List<PlaybackEvent> all = chunks.stream().flatMap(List::stream).toList();
        assertThat(all).hasSize(6).contains(longest).containsAll(a);
        // a session's events are never split over two chunks
        assertThat(chunks.get(0)).extracting(PlaybackEvent::sessionId).containsOnly("a");
        assertThat(chunks.get(0)).hasSize(4);

        assertThat(journal.sessionsBefore(2_000, "", 10)).containsExactly("a");
        assertThat(journal.sessionsBefore(3_001, "", 2)).containsExactly("a", "b");
        assertThat(journal.sessionsBefore(3_001, "b", 2)).containsExactly(longest.sessionId());
        assertThat(journal.forget(List.of("a", longest.sessionId()), 3_000)).isEqualTo(4);
        assertThat(journal.size()).isEqualTo(2);
        assertThat(journal.sessionsBefore(Long.MAX_VALUE, "", 10)).containsExactly("a", "b");
        assertThat(journal.eventsOf(List.of("b", "none"))).containsExactly(event("b", 1));
    }

    private static PlaybackEvent event(String session, long seq) {
        return new PlaybackEvent(session + "-e" + seq, session, "u", "t", EventType.HEARTBEAT, seq, seq * 1000,
                seq * 1000, "tv", false);
    }

}
