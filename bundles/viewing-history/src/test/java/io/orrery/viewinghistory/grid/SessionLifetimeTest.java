package io.orrery.viewinghistory.grid;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.viewinghistory.internal.event.EventType;
import java.util.AbstractMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A state begun where the grid held none (a new session, or one whose state was lost) counts its versions in a
 * lifetime named by the clock; a state already held, even one an earlier release wrote from 0, keeps its own.
 */
class SessionLifetimeTest {

    @Test
    void aStateBegunWhereTheGridHeldNoneCountsItsChangesInALifetimeOfItsOwn() {
        Entry entry = new Entry(null);
        new SessionAppend(List.of(step(1, EventType.START), step(2, EventType.HEARTBEAT)), 1_800_000_000_000L, 60)
                .process(entry);
        new SessionAppend(List.of(step(3, EventType.STOP)), 1_800_000_060_000L, 60).process(entry);

        long version = SessionCodec.read(entry.getValue()).version();
        assertThat(SessionState.lifetime(version)).isEqualTo(1_800_000_000_000L);
        assertThat(SessionState.changes(version)).isEqualTo(3);

        entry.setValue(null);   // lost: past the retention, or with the whole cluster
        new SessionAppend(List.of(step(2, EventType.HEARTBEAT)), 1_800_259_200_000L, 60).process(entry);
        long late = SessionCodec.read(entry.getValue()).version();
        assertThat(SessionState.lifetime(late)).isEqualTo(1_800_259_200_000L);
        assertThat(SessionState.changes(late)).isEqualTo(1);
    }

    @Test
    void aStateOfAnEarlierReleaseStaysInLifetimeZero() {
        Entry entry = new Entry("{\"closed\":false,\"last\":1,\"v\":1,\"w\":0,\"steps\":[[1,\"START\",0,100,"
                + "\"u\",\"t\",\"tv\"]]}");
        new SessionAppend(List.of(step(2, EventType.STOP)), 1_800_000_000_000L, 60).process(entry);

        assertThat(SessionCodec.read(entry.getValue()).version()).isEqualTo(2);
        assertThat(SessionState.lifetime(2)).isZero();
    }

    private static SessionState.Step step(long seq, EventType type) {
        return new SessionState.Step(seq, type, seq * 1_000, seq * 1_000, "u", "t", "tv");
    }

    /** A map entry as Hazelcast hands one to an entry processor, without a member (TTL ignored). */
    private static final class Entry extends AbstractMap.SimpleEntry<String, Object>
            implements com.hazelcast.map.ExtendedMapEntry<String, Object> {
        Entry(Object value) {
            super("s", value);
        }

        @Override
        public Object setValue(Object value, long ttl, TimeUnit unit) {
            return setValue(value);
        }

        @Override
        public Object setValueWithoutChangingExpiryTime(Object value) {
            return setValue(value);
        }
    }
}
