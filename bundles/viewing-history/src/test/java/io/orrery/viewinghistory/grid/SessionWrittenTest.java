package io.orrery.viewinghistory.grid;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import java.lang.reflect.Proxy;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mark's copy of the entry is set by the primary's run only; a backup's run only marks. */
class SessionWrittenTest {

    private final List<String> calls = new ArrayList<>();

    @Test
    void thePrimarySetsTheCopyAndTheBackupLeavesItToTheCopysOwnBackup() {
        SessionWritten mark = new SessionWritten(7, 60, "copies", "{\"sessionId\":\"s\"}");
        mark.setHazelcastInstance(recording());
        assertThat(mark.process(gone("s"))).isFalse();       // the state is gone; the copy is set all the same
        assertThat(calls).containsExactly("getMap(copies)");

        calls.clear();
        var backup = mark.getBackupProcessor();
        ((SessionWritten) backup).setHazelcastInstance(recording());
        backup.process(gone("s"));
        assertThat(calls).isEmpty();
    }

    @Test
    void aMarkWithoutACopyOnlyMarks() {
        SessionWritten mark = new SessionWritten(7, 60);
        mark.setHazelcastInstance(recording());
        mark.process(gone("s"));
        assertThat(calls).isEmpty();
        assertThat(mark.getBackupProcessor()).isSameAs(mark);
    }

    private static Map.Entry<String, Object> gone(String key) {
        return new AbstractMap.SimpleEntry<>(key, null);
    }

    /** A member that records which map is asked for and answers a map that records its writes. */
    private HazelcastInstance recording() {
        return (HazelcastInstance) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HazelcastInstance.class}, (proxy, method, args) -> {
                    calls.add(method.getName() + "(" + args[0] + ")");
                    return Proxy.newProxyInstance(getClass().getClassLoader(),
                            new Class<?>[] {com.hazelcast.map.IMap.class}, (map, m, a) -> null);
                });
    }
}
