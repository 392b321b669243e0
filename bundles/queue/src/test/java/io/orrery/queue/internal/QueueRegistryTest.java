package io.orrery.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The member's copy of the queue list and settings, kept current by the registry map's events. */
class QueueRegistryTest {

    private static HazelcastInstance member;

    @BeforeAll
    static void startMember() {
        member = QueueMembers.of(1).start(0);
    }

    @AfterAll
    static void stopMember() {
        member.getLifecycleService().terminate();
    }

    /**
     * A queue registered and configured at once: the event of its registration arrives after the configuration and
     * must not bring the default settings back, however late it is handled (it did, until the next event: a claim
     * in between leased for the default 30 s instead of the configured time).
     */
    @Test
    void aLateRegistrationEventNeverUndoesTheConfigurationThatFollowedIt() {
        QueueSettings configured = QueueSettings.DEFAULTS.withLeaseTime(Duration.ofMillis(150));
        try (QueueRegistry registry = new QueueRegistry(member, QueueOptions.DEFAULTS, r -> { }, r -> { })) {
            List<String> stale = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                QueueId q = QueueId.of("acme", "configured-" + i);
                registry.configure(q, configured);
                for (int read = 0; read < 2_000; read++) {
                    QueueSettings seen = registry.find(q).orElseThrow().settings();
                    if (!seen.equals(configured)) {
                        stale.add(q + " read " + read + ": " + seen);
                        break;
                    }
                }
            }
            assertThat(stale).isEmpty();
        }
    }
}
