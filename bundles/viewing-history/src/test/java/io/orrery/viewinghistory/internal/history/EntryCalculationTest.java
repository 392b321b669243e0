package io.orrery.viewinghistory.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.viewinghistory.grid.SessionAppend;
import io.orrery.viewinghistory.grid.SessionState;
import io.orrery.viewinghistory.internal.event.EventType;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntryCalculationTest {

    @Test
    void watchedTimeCountsForwardMovesIntoHeartbeatPauseAndStopButNotOutOfAPause() {
        SessionState state = state(
                step(1, EventType.START, 0, 100),
                step(2, EventType.HEARTBEAT, 10_000, 200),   // +10 000
                step(3, EventType.PAUSE, 15_000, 300),       // +5 000
                step(4, EventType.HEARTBEAT, 40_000, 400),   // after a PAUSE: not counted
                step(5, EventType.SEEK, 5_000, 500),
                step(6, EventType.HEARTBEAT, 2_000, 600),    // backwards: max(0, ..) = 0
                step(7, EventType.RESUME, 3_000, 700),
                step(8, EventType.STOP, 9_000, 800));        // +6 000
        HistoryEntry entry = EntryCalculation.of("s", state);
        assertThat(entry.watchedMs()).isEqualTo(21_000);
        assertThat(entry.startedAt()).isEqualTo(100);
        assertThat(entry.endedAt()).isEqualTo(800);
        assertThat(entry.lastPositionMs()).isEqualTo(9_000);
        assertThat(entry.titleId()).isEqualTo("t");
        assertThat(entry.device()).isEqualTo("tv");
    }

    @Test
    void orderComesFromSeqAndARepeatedSeqIsDroppedWhateverItCarries() {
        SessionState state = state(step(5, EventType.STOP, 30_000, 900), step(1, EventType.START, 0, 100),
                step(3, EventType.HEARTBEAT, 20_000, 500), step(3, EventType.HEARTBEAT, 99_000, 999));
        HistoryEntry entry = EntryCalculation.of("s", state);
        assertThat(entry.watchedMs()).isEqualTo(30_000);
        assertThat(entry.startedAt()).isEqualTo(100);
        assertThat(entry.endedAt()).isEqualTo(900);
        assertThat(state.steps()).hasSize(3);
    }

    @Test
    void aSessionIsWrittenWhenClosedAndAgainOnlyWhenALateEventChangesIt() {
        Map.Entry<String, String> entry = new MutableEntry();
        assertThat(append(entry, step(1, EventType.START, 0, 1))).isNull();           // open: nothing to write
        String closed = append(entry, step(3, EventType.STOP, 9, 3));
        assertThat(closed).isNotNull();
        assertThat(append(entry, step(3, EventType.STOP, 9, 3))).isEqualTo(closed);   // still unwritten: again
        new io.orrery.viewinghistory.grid.SessionWritten(SessionState.parse(closed).version(), 60).process(entry);
        assertThat(append(entry, step(3, EventType.STOP, 9, 3))).isNull();            // a duplicate: nothing new
        String corrected = append(entry, step(2, EventType.HEARTBEAT, 5, 2));         // late: rewrite
        assertThat(SessionState.parse(corrected).version()).isGreaterThan(SessionState.parse(closed).version());
        assertThat(SessionState.parse(corrected).steps()).hasSize(3);
    }

    private static String append(Map.Entry<String, String> entry, SessionState.Step step) {
        return new SessionAppend(List.of(step), 1000, 60).process(entry);
    }

    private static SessionState state(SessionState.Step... steps) {
        Map.Entry<String, String> entry = new MutableEntry();
        new SessionAppend(List.of(steps), 1000, 60).process(entry);
        return SessionState.parse(entry.getValue());
    }

    private static SessionState.Step step(long seq, EventType type, long position, long ts) {
        return new SessionState.Step(seq, type, position, ts, "u", "t", "tv");
    }

    /** A map entry as Hazelcast hands one to an entry processor, without a member (TTL ignored). */
    private static final class MutableEntry extends AbstractMap.SimpleEntry<String, String>
            implements com.hazelcast.map.ExtendedMapEntry<String, String> {
        MutableEntry() {
            super("s", null);
        }

        @Override
        public String setValue(String value, long ttl, java.util.concurrent.TimeUnit unit) {
            return setValue(value);
        }

        @Override
        public String setValueWithoutChangingExpiryTime(String value) {
            return setValue(value);
        }
    }
}
