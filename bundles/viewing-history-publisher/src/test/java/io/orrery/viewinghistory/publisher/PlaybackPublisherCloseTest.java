package io.orrery.viewinghistory.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.viewinghistory.publisher.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * Closing while the sender is still busy: when {@code close()} returns, every accepted event is counted as sent or
 * failed, none left pending, and an event published after it is refused and counted as dropped.
 */
class PlaybackPublisherCloseTest {

    @Test
    void closeCountsTheEventsItCouldNotSendWhileTheSenderIsStuck() throws Exception {
        PlaybackPublisher publisher = heldPublisher("orrery.playback.closing");
        try {
            publishFiveTheFirstHeld(publisher, i -> false);

            publisher.close();

            PublisherCounters counters = publisher.counters();
            assertThat(counters.accepted()).isEqualTo(5);
            assertThat(counters.pending()).isZero();
            assertThat(counters.sent() + counters.failed()).isEqualTo(5);
            assertThat(publisher.publish(event(5), false)).isFalse();
            assertThat(publisher.counters().dropped()).isEqualTo(1);
            assertThat(publisher.counters().accepted()).isEqualTo(5);
        } finally {
            HeldSend.release.countDown();
            publisher.close();
        }
    }

    @Test
    void closeOnAnInterruptedThreadStillCountsEveryEventAndKeepsTheInterrupt() throws Exception {
        PlaybackPublisher publisher = heldPublisher("orrery.playback.interrupted");
        try {
            publishFiveTheFirstHeld(publisher, i -> i % 2 == 0);

            // A shutdown that interrupts the thread it closes on: the producers' close throws on such a thread.
            Thread.currentThread().interrupt();
            try {
                publisher.close();
            } finally {
                assertThat(Thread.interrupted()).as("the caller's interrupt kept").isTrue();
            }

            PublisherCounters counters = publisher.counters();
            assertThat(counters.pending()).isZero();
            assertThat(counters.sent() + counters.failed()).isEqualTo(5);
        } finally {
            HeldSend.release.countDown();
            publisher.close();
        }
    }

    /** A publisher whose producer holds its first send (see {@link HeldSend}). */
    private static PlaybackPublisher heldPublisher(String topic) {
        HeldSend.entered = new CountDownLatch(1);
        HeldSend.release = new CountDownLatch(1);
        // Nothing listens there; the sends never get that far anyway, the first is held inside the producer.
        String nowhere = "127.0.0.1:" + KafkaBroker.freePort();
        return new PlaybackPublisher(PublisherSettings.of(topic, nowhere, "").withBufferCapacity(10)
                .withTimeouts(Duration.ofMillis(200), Duration.ofSeconds(1))
                .withProducer(Map.of("interceptor.classes", HeldSend.class.getName())));
    }

    /** Five events accepted, the first held in the producer's send, the others behind it in the buffer. */
    private static void publishFiveTheFirstHeld(PlaybackPublisher publisher, IntPredicate critical)
            throws InterruptedException {
        assertThat(publisher.publish(event(0), critical.test(0))).isTrue();
        HeldSend.entered.await();
        for (int i = 1; i < 5; i++) {
            assertThat(publisher.publish(event(i), critical.test(i))).isTrue();
        }
    }

    private static byte[] event(int n) {
        return ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Holds the producer's first send on the sender thread until the test lets it go, whatever interrupts it. */
    public static final class HeldSend implements ProducerInterceptor<byte[], byte[]> {
        static volatile CountDownLatch entered;
        static volatile CountDownLatch release;

        @Override
        public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
            entered.countDown();
            boolean interrupted = false;
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }
}
