package io.orrery.viewinghistory.publisher.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The test broker itself: a port taken between choosing it and the broker binding it does not fail the test; a topic
 * it has created takes records on every partition at once.
 */
class KafkaBrokerTest {

    @Test
    void aBrokerWhosePortWasTakenBeforeItBoundItStartsOnFreshPorts() throws Exception {
        List<int[]> handedOut = new ArrayList<>();
        try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             KafkaBroker broker = KafkaBroker.start(() -> {
                 int[] ports = KafkaBroker.freePorts(2);
                 if (handedOut.isEmpty()) {
                     ports[0] = squatter.getLocalPort(); // taken between choosing it and binding it
                 }
                 handedOut.add(ports);
                 return ports;
             });
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
            assertThat(handedOut).hasSize(2);
            assertThat(broker.bootstrap()).isEqualTo("127.0.0.1:" + handedOut.get(1)[0]);
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    /**
     * A send that meets "not leader" is refused here rather than retried (no retries, no idempotence), so any
     * partition the broker did not yet lead when {@code createTopic} returned fails the test. Before createTopic
     * waited for the partitions' leader, this raced the broker taking up the new partitions (on a loaded machine an
     * idempotent producer then stayed stuck on such a partition until its records expired).
     */
    @Test
    void everyPartitionOfATopicJustCreatedTakesARecordAtOnce() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start();
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                     broker.bootstrap(), "acks", "all", "enable.idempotence", "false", "retries", "0",
                     "delivery.timeout.ms", "10000", "request.timeout.ms", "5000", "linger.ms", "0"),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int t = 0; t < 10; t++) {
                String topic = "fresh-" + t;
                broker.createTopic(topic, 3);
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (int p = 0; p < 3; p++) {
                    sent.add(producer.send(new ProducerRecord<>(topic, p, null, new byte[] {(byte) p})));
                }
                for (Future<RecordMetadata> record : sent) {
                    assertThat(record.get(15, TimeUnit.SECONDS).offset()).isZero();
                }
            }
        }
    }
}
