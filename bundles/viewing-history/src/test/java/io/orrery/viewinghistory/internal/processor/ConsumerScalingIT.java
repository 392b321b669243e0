package io.orrery.viewinghistory.internal.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.camel.internal.NodeCamel;
import io.orrery.viewinghistory.internal.PlaybackStream;
import io.orrery.viewinghistory.internal.ProcessorFixture;
import io.orrery.viewinghistory.publisher.testing.KafkaBroker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Consumer scaling on a real broker: a backlog against the baseline scales the processor's consumers up to what it
 * needs in one step (the group then has that many members), and once the backlog is gone they come down one per
 * cool-down, measured on a clock the test moves, never two at once.
 */
class ConsumerScalingIT {

    private static final String TOPIC = "vh-scale";
    private static final String GROUP = "vh-scale";
    private static final Duration COOL_DOWN = Duration.ofMinutes(5);

    private static ProcessorFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = new ProcessorFixture(ProcessorSettings.defaults());
        fixture.broker.createTopic(TOPIC, 3);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void upAtOnceDownOneStepPerCoolDown() throws Exception {
        PlaybackStream stream = PlaybackStream.generate("scale", 300, 20, 50, 10, 31);
        fixture.publish(TOPIC, stream.inOrder());
        ManualClock clock = new ManualClock();
        // a low per-consumer baseline: the 6,000 waiting records need every consumer the processor may run
        ConsumerScaling scaling = new ConsumerScaling(1, 3, COOL_DOWN).withBaseline(50);
        ProcessorRoute.Consumers consumers = new ProcessorRoute.Consumers(scaling, 1, Duration.ofMillis(300), clock);
        CamelContext camel = NodeCamel.create(KafkaBroker.freePort(), fixture.broker.bootstrap());
        camel.start();
        try {
            camel.addRoutes(new ProcessorRoute(fixture.processor, fixture.delays,
                    new ProcessorRoute.Source(TOPIC, GROUP, fixture.broker.bootstrap(), null, 1, 200),
                    Duration.ofSeconds(1), consumers));

            await().atMost(Duration.ofSeconds(30)).until(() -> consumers.current() == 3);
            assertThat(consumers.history()).containsExactly(1, 3); // one step up, not 1, 2, 3
            await().atMost(Duration.ofSeconds(60)).until(() -> members() == 3);
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> fixture.storedEntries(stream.users()).equals(stream.expectedEntries()));
            await().atMost(Duration.ofSeconds(30)).until(() -> ConsumerLag.of(fixture.broker.bootstrap(), GROUP,
                    TOPIC) == 0);

            // idle, but within the cool-down: no step down however many decisions pass
            long decisions = decisionsAfter(consumers, 5);
            assertThat(consumers.current()).isEqualTo(3);
            assertThat(decisions).isGreaterThanOrEqualTo(5);

            clock.advance(COOL_DOWN);
            await().atMost(Duration.ofSeconds(30)).until(() -> consumers.current() == 2);
            decisionsAfter(consumers, 5);
            assertThat(consumers.history()).containsExactly(1, 3, 2);
            await().atMost(Duration.ofSeconds(60)).until(() -> members() == 2);

            clock.advance(COOL_DOWN);
            await().atMost(Duration.ofSeconds(30)).until(() -> consumers.current() == 1);
            clock.advance(COOL_DOWN);
            decisionsAfter(consumers, 5);
            assertThat(consumers.history()).containsExactly(1, 3, 2, 1); // never below the configured minimum
        } finally {
            camel.stop();
        }
    }

    /** Waits until the scaling timer decided {@code n} more times; how many it did. */
    private static long decisionsAfter(ProcessorRoute.Consumers consumers, int n) {
        long from = consumers.decisions();
        await().atMost(Duration.ofSeconds(30)).until(() -> consumers.decisions() >= from + n);
        return consumers.decisions() - from;
    }

    private static int members() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", fixture.broker.bootstrap()))) {
            return admin.describeConsumerGroups(List.of(GROUP)).all().get(10, TimeUnit.SECONDS).get(GROUP)
                    .members().size();
        }
    }

    /** A clock that moves only when told, for the cool-down. */
    private static final class ManualClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}
