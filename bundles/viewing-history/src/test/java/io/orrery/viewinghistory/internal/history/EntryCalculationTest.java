package io.orrery.viewinghistory.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.viewinghistory.grid.SessionAppend;
import io.orrery.viewinghistory.grid.SessionCodec;
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
        Map.Entry<String, Object> entry = new MutableEntry();
        assertThat(append(entry, step(1, EventType.START, 0, 1))).isNull();           // open: nothing to write
        byte[] closed = append(entry, step(3, EventType.STOP, 9, 3));
        assertThat(closed).isNotNull();
        assertThat(append(entry, step(3, EventType.STOP, 9, 3))).isEqualTo(closed);   // still unwritten: again
        new io.orrery.viewinghistory.grid.SessionWritten(SessionCodec.read(closed).version(), 60).process(entry);
        assertThat(append(entry, step(3, EventType.STOP, 9, 3))).isNull();            // a duplicate: nothing new
        byte[] corrected = append(entry, step(2, EventType.HEARTBEAT, 5, 2));         // late: rewrite
        assertThat(SessionCodec.read(corrected).version()).isGreaterThan(SessionCodec.read(closed).version());
        assertThat(SessionCodec.read(corrected).steps()).hasSize(3);
    }

    private static byte[] append(Map.Entry<String, Object> entry, SessionState.Step step) {
        return new SessionAppend(List.of(step), 1000, 60).process(entry);
    }

    private static SessionState state(SessionState.Step... steps) {
        Map.Entry<String, Object> entry = new MutableEntry();
        new SessionAppend(List.of(steps), 1000, 60).process(entry);
        return SessionCodec.read(entry.getValue());
    }

    private static SessionState.Step step(long seq, EventType type, long position, long ts) {
        return new SessionState.Step(seq, type, position, ts, "u", "t", "tv");
    }

    /** A map entry as Hazelcast hands one to an entry processor, without a member (TTL ignored). */
    private static final class MutableEntry extends AbstractMap.SimpleEntry<String, Object>
            implements com.hazelcast.map.ExtendedMapEntry<String, Object> {
        MutableEntry() {
            super("s", null);
        }

        @Override
        public Object setValue(Object value, long ttl, java.util.concurrent.TimeUnit unit) {
            return setValue(value);
        }

        @Override
        public Object setValueWithoutChangingExpiryTime(Object value) {
            return setValue(value);
        }
    }
}
