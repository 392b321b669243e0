package io.orrery.viewinghistory.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import io.orrery.viewinghistory.internal.event.EventType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionCodecTest {

    @Test
    void aStateRoundTripsWithEveryFieldAndStepIncludingChangedUsersTitlesAndDevices() {
        SessionState state = new SessionState();
        state.add(step(3, EventType.HEARTBEAT, "u1", "t1", "tv"), 10);
        state.add(step(1, EventType.START, "u1", "t1", "tv"), 20);
        state.add(step(7, EventType.STOP, "u1", "t2", "phone"), 30);     // title and device change mid-session
        state.add(step(5, EventType.SEEK, "u\u00e9", "t1", "tv"), 40);      // all three change, one not ASCII
        state.markWritten(2);

        SessionState read = SessionCodec.read(SessionCodec.write(state));

        assertThat(read.steps()).containsExactlyElementsOf(state.steps());
        assertThat(read.steps()).extracting(SessionState.Step::seq).containsExactly(1L, 3L, 5L, 7L);
        assertThat(read.closed()).isTrue();
        assertThat(read.version()).isEqualTo(4);
        assertThat(read.writtenVersion()).isEqualTo(2);
        assertThat(read.lastChange()).isEqualTo(40);
        assertThat(read.needsWrite()).isTrue();
        assertThat(SessionCodec.write(read)).isEqualTo(SessionCodec.write(state));
    }

    @Test
    void aNewSessionIsNullAndStepsRoundTripAlone() {
        assertThat(SessionCodec.read(null).steps()).isEmpty();
        List<SessionState.Step> steps = List.of(step(2, EventType.PAUSE, "u", "t", "d"),
                step(1, EventType.RESUME, "u", "t", "d"));
        assertThat(SessionCodec.readSteps(SessionCodec.writeSteps(steps))).containsExactlyElementsOf(steps);
    }

    @Test
    void aSessionIsSettledWhenTheGridHoldsNothingOrItIsClosedWithItsVersionWritten() {
        SessionState state = new SessionState();
        assertThat(SessionCodec.settled(null)).isTrue();
        state.add(step(1, EventType.START, "u", "t", "tv"), 10);
        assertThat(SessionCodec.settled(SessionCodec.write(state))).isFalse();           // open
        state.markWritten(state.version());
        assertThat(SessionCodec.settled(SessionCodec.write(state))).isFalse();           // open, though written
        state.add(step(2, EventType.STOP, "u", "t", "tv"), 20);
        assertThat(SessionCodec.settled(SessionCodec.write(state))).isFalse();           // closed, not written
        state.markWritten(state.version());
        assertThat(SessionCodec.settled(SessionCodec.write(state))).isTrue();
        assertThat(SessionCodec.settled("{\"closed\":true,\"last\":1,\"v\":3,\"w\":3,\"steps\":[]}")).isTrue();
        assertThat(SessionCodec.settled("{\"closed\":true,\"last\":1,\"v\":3,\"w\":2,\"steps\":[]}")).isFalse();
        assertThat(SessionCodec.settled(new byte[] {9, 1, 2})).isFalse();                // a format it cannot read
    }

    @Test
    void theJsonTextOfEarlierReleasesIsStillRead() {
        String json = "{\"closed\":true,\"last\":1000,\"v\":3,\"w\":2,\"steps\":["
                + "[1,\"START\",0,100,\"u\",\"t\",\"tv\"],[2,\"HEARTBEAT\",5000,200,\"u\",\"t\",\"tv\"],"
                + "[3,\"STOP\",9000,300,\"u\",\"t\",\"tv\"]]}";

        SessionState read = SessionCodec.read(json);

        assertThat(read.steps()).containsExactly(step(1, EventType.START, 0, 100), step(2, EventType.HEARTBEAT,
                5000, 200), step(3, EventType.STOP, 9000, 300));
        assertThat(read.closed()).isTrue();
        assertThat(read.version()).isEqualTo(3);
        assertThat(read.writtenVersion()).isEqualTo(2);
        assertThat(read.lastChange()).isEqualTo(1000);
    }

    @Test
    void anAppendToAnOlderJsonValueRewritesItAsBytesAndKeepsItsDedupe() {
        Entry entry = new Entry("{\"closed\":false,\"last\":1,\"v\":1,\"w\":0,\"steps\":[[1,\"START\",0,100,"
                + "\"u\",\"t\",\"tv\"]]}");
        byte[] answer = new SessionAppend(List.of(step(1, EventType.START, 0, 100), step(2, EventType.STOP, 50,
                200)), 5, 60).process(entry);

        assertThat(entry.getValue()).isInstanceOf(byte[].class);
        SessionState state = SessionCodec.read(entry.getValue());
        assertThat(state.steps()).extracting(SessionState.Step::seq).containsExactly(1L, 2L);
        assertThat(state.version()).isEqualTo(2);
        assertThat(answer).isEqualTo(entry.getValue());                 // closed and unwritten: the state to write
    }

    @Test
    void markingWrittenPatchesOnlyTheWrittenVersionAndNeverLowersIt() {
        SessionState state = stateOf(step(1, EventType.START, "u", "t", "tv"));
        state.add(step(2, EventType.STOP, "u", "t", "tv"), 2);
        byte[] bytes = SessionCodec.write(state);

        byte[] marked = SessionCodec.withWritten(bytes, 2);

        state.markWritten(2);
        assertThat(marked).isEqualTo(SessionCodec.write(state)).isNotSameAs(bytes);
        assertThat(SessionCodec.read(marked).needsWrite()).isFalse();
        assertThat(SessionCodec.withWritten(marked, 1)).isSameAs(marked);
        assertThat(SessionCodec.read(bytes).writtenVersion()).isZero();          // the original is left alone
        assertThatThrownBy(() -> SessionCodec.withWritten(new byte[] {SessionCodec.FORMAT, 0}, 1))
                .hasMessageContaining("cut short");
    }

    @Test
    void theHeaderAloneTellsAnIdleOpenSessionFromEveryOtherAsTheFullReadDoes() {
        SessionState open = stateOf(step(1, EventType.START, "u", "t", "tv"));        // last change at 1
        SessionState stopped = stateOf(step(1, EventType.START, "u", "t", "tv"));
        stopped.add(step(2, EventType.STOP, "u", "t", "tv"), 1);
        SessionState written = stateOf(step(1, EventType.START, "u", "t", "tv"));
        written.add(step(2, EventType.STOP, "u", "t", "tv"), 1);
        written.markWritten(written.version());
        SessionState empty = new SessionState();

        for (long cutoff : new long[] {0, 1, 2, Long.MAX_VALUE}) {
            for (SessionState state : List.of(open, stopped, written, empty)) {
                byte[] bytes = SessionCodec.write(state);
                boolean closes = SessionCodec.read(bytes).closeIfIdle(cutoff);
                assertThat(SessionCodec.openAndIdle(bytes, cutoff)).as("cutoff %d", cutoff).isEqualTo(closes);
                assertThat(SessionCodec.closedUnwrittenAndIdle(bytes, cutoff)).as("cutoff %d", cutoff)
                        .isEqualTo(SessionCodec.read(bytes).unwrittenSince(cutoff));
                // The sweep's index picks exactly the states the sweep has something to do with.
                assertThat(SessionCodec.sweepDue(bytes) < cutoff).as("cutoff %d", cutoff)
                        .isEqualTo(SessionCodec.openAndIdle(bytes, cutoff)
                                || SessionCodec.closedUnwrittenAndIdle(bytes, cutoff));
            }
        }
        assertThat(SessionCodec.sweepDue(SessionCodec.write(written))).isEqualTo(Long.MAX_VALUE);
        // Whatever the header cannot vouch for is always due, so the sweep reads it; the grid's index never fails.
        for (Object unknown : new Object[] {new byte[] {2, 0, 0}, new byte[0], "{\"closed\":false}", 7L}) {
            assertThat(SessionCodec.sweepDue(unknown)).isEqualTo(Long.MIN_VALUE);
        }
        assertThat(SessionCodec.openAndIdle(SessionCodec.write(open), 2)).isTrue();
        assertThat(SessionCodec.openAndIdle(SessionCodec.write(open), 1)).isFalse();   // changed at the cutoff
        // Bytes the header cannot vouch for go to the full read, which names what is wrong with them.
        assertThat(SessionCodec.openAndIdle(new byte[] {2, 0, 0}, 0)).isTrue();
        assertThat(SessionCodec.closedUnwrittenAndIdle(new byte[] {2, 0, 0}, 0)).isTrue();
    }

    @Test
    void theSweepClosesOnlyIdleOpenSessionsAndLeavesTheOthersUntouched() {
        byte[] openBytes = SessionCodec.write(stateOf(step(1, EventType.START, "u", "t", "tv")));
        Entry idle = new Entry(openBytes);
        Entry recent = new Entry(openBytes);

        byte[] closed = new SessionExpiry(2, 60).process(idle);
        byte[] untouched = new SessionExpiry(1, 60).process(recent);

        assertThat(closed).isEqualTo(idle.getValue());
        SessionState state = SessionCodec.read(closed);
        assertThat(state.closed()).isTrue();
        assertThat(state.needsWrite()).isTrue();
        assertThat(untouched).isNull();
        assertThat(recent.getValue()).isSameAs(openBytes);
        byte[] written = SessionCodec.withWritten(closed, state.version());
        assertThat(new SessionExpiry(Long.MAX_VALUE, 60).process(new Entry(written))).isNull();  // closed and written
    }

    @Test
    void theSweepAnswersAgainASessionItClosedWhoseWriteWasNotRecorded() {
        Entry idle = new Entry(SessionCodec.write(stateOf(step(1, EventType.START, "u", "t", "tv"))));
        byte[] closed = new SessionExpiry(2, 60).process(idle);

        assertThat(new SessionExpiry(2, 60).process(idle)).isEqualTo(closed).isSameAs(idle.getValue());
        idle.setValue(SessionCodec.withWritten(closed, SessionCodec.read(closed).version()));
        assertThat(new SessionExpiry(2, 60).process(idle)).isNull();                      // written: left alone
        SessionState stopped = stateOf(step(1, EventType.START, "u", "t", "tv"));
        stopped.add(step(2, EventType.STOP, "u", "t", "tv"), 5);
        byte[] stoppedBytes = SessionCodec.write(stopped);
        assertThat(new SessionExpiry(5, 60).process(new Entry(stoppedBytes))).isNull();   // its batch writes it
        assertThat(new SessionExpiry(6, 60).process(new Entry(stoppedBytes))).isSameAs(stoppedBytes);
    }

    @Test
    void theSweepLeavesAStateItCannotReadAsItIs() {
        byte[] unreadable = {9};
        Entry entry = new Entry(unreadable);

        assertThat(new SessionExpiry(Long.MAX_VALUE, 60).process(entry)).isNull();
        assertThat(entry.getValue()).isSameAs(unreadable);
    }

    @Test
    void bytesOfAnotherFormatOrCutShortAreRefusedByName() {
        byte[] good = SessionCodec.write(stateOf(step(1, EventType.START, "u", "t", "tv")));
        byte[] future = good.clone();
        future[0] = 2;
        assertThatThrownBy(() -> SessionCodec.read(future)).hasMessageContaining("unknown format 2");
        assertThatThrownBy(() -> SessionCodec.read(new byte[0])).hasMessageContaining("unknown format (empty)");
        assertThatThrownBy(() -> SessionCodec.read(Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated or corrupt");
        assertThatThrownBy(() -> SessionCodec.read(42)).hasMessageContaining("expected bytes or JSON text");
    }

    @Test
    void anAppendThatTravelsToAnotherMemberCarriesItsSteps() {
        SerializationService serialization = new DefaultSerializationServiceBuilder().build();
        List<SessionState.Step> steps = List.of(step(1, EventType.START, "u", "t", "tv"),
                step(2, EventType.STOP, "u", "t2", "tv"));
        SessionAppend received = serialization.toObject(serialization.toData(new SessionAppend(steps, 5, 60)));

        Entry entry = new Entry(null);
        received.process(entry);

        assertThat(SessionCodec.read(entry.getValue()).steps()).containsExactlyElementsOf(steps);
    }

    private static SessionState stateOf(SessionState.Step step) {
        SessionState state = new SessionState();
        state.add(step, 1);
        return state;
    }

    private static SessionState.Step step(long seq, EventType type, String user, String title, String device) {
        return new SessionState.Step(seq, type, seq * 1000, seq * 10, user, title, device);
    }

    private static SessionState.Step step(long seq, EventType type, long position, long ts) {
        return new SessionState.Step(seq, type, position, ts, "u", "t", "tv");
    }

    /** A map entry as Hazelcast hands one to an entry processor, without a member (TTL ignored). */
    private static final class Entry extends java.util.AbstractMap.SimpleEntry<String, Object>
            implements com.hazelcast.map.ExtendedMapEntry<String, Object> {
        Entry(Object value) {
            super("s", value);
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
