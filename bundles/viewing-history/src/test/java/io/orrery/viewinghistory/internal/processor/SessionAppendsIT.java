package io.orrery.viewinghistory.internal.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.map.IMap;
import io.orrery.viewinghistory.internal.PlaybackStream;
import io.orrery.viewinghistory.internal.event.EventType;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.internal.history.HistoryEntry;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A batch sent to the grid in waves as it is read ({@link SessionAppends}), on two real Hazelcast members on loopback
 * and an H2 store: sessions that span waves, and a session that fails in a later wave than the one that wrote it.
 */
class SessionAppendsIT {

    private static TwoMembersAndStore cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new TwoMembersAndStore("orrery-vh-waves", 2);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * A batch read in waves (here of 7 events, so most sessions span several): each wave's appends are sent while
     * the next is read, and a session's appends of two waves, sent to the member that owns it, run in the order
     * sent. Every session is written, with the clean stream's history.
     */
    @Test
    void aBatchSentInWavesGivesTheCleanStreamsHistory() throws Exception {
        PlaybackStream stream = PlaybackStream.generate("wave", 60, 20, 12, 5, 13);
        SessionProcessor processor = cluster.processorOn(cluster.first);
        SessionAppends appends = processor.appends(7);
        stream.shuffledWithDuplicates(0.10, 17).forEach(appends::add);

        SessionProcessor.Outcome outcome = processor.finish(appends);

        assertThat(outcome.failures()).isEmpty();
        assertThat(outcome.written()).containsExactlyInAnyOrderElementsOf(stream.expectedEntries().keySet());
        assertThat(cluster.storedEntries(stream.users())).isEqualTo(stream.expectedEntries());
        assertThat(cluster.bookmarks(stream.users())).isEqualTo(stream.expectedBookmarks());
    }

    /**
     * A session closed and written in one wave whose append fails in a later one is handed back with that wave's
     * events only, and is not counted written: its offsets stay held until its retry. The others are written.
     */
    @Test
    void aSessionFailingInALaterWaveHandsBackThatWavesEventsAndIsNotCountedWritten() throws Exception {
        SessionProcessor processor = cluster.processorOn(cluster.first);
        IMap<String, Object> sessions = cluster.first.getMap(SessionProcessor.SESSIONS);
        SessionAppends appends = processor.appends(4);
        for (String session : List.of("wf-a", "wf-b")) {   // the first wave: both closed
            appends.add(waveEvent(session, 1, EventType.START));
            appends.add(waveEvent(session, 2, EventType.STOP));
        }
        sessions.put("wf-a", new byte[] {9});   // runs after the first wave's append: one caller, one key
        PlaybackEvent late = waveEvent("wf-a", 3, EventType.HEARTBEAT);
        appends.add(late);
        appends.add(waveEvent("wf-c", 1, EventType.START));
        appends.add(waveEvent("wf-c", 2, EventType.STOP));

        SessionProcessor.Outcome outcome = processor.finish(appends);

        assertThat(outcome.failures()).singleElement().satisfies(f -> {
            assertThat(f.events()).containsExactly(late);
            assertThat(f.error()).hasMessageContaining("unknown format 9");
        });
        assertThat(outcome.written()).containsExactlyInAnyOrder("wf-b", "wf-c");
        assertThat(cluster.table.entries("wf-u")).extracting(HistoryEntry::sessionId)
                .containsExactlyInAnyOrder("wf-a", "wf-b", "wf-c");   // a's first wave was written all the same
    }

    private static PlaybackEvent waveEvent(String session, long seq, EventType type) {
        return new PlaybackEvent(session + "-e" + seq, session, "wf-u", "t-" + session, type, seq, seq * 1_000L,
                seq * 1_000L, "tv", false);
    }
}
