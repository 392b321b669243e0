package io.orrery.viewinghistory.internal;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.camel.internal.NodeCamel;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.queue.internal.QueueOptions;
import io.orrery.queue.internal.ShardedQueueService;
import io.orrery.store.JdbcStore;
import io.orrery.viewinghistory.internal.event.EventCodec;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.internal.history.HistoryCache;
import io.orrery.viewinghistory.internal.history.HistoryEntry;
import io.orrery.viewinghistory.internal.history.HistoryTable;
import io.orrery.viewinghistory.internal.history.RequestJournal;
import io.orrery.viewinghistory.internal.processor.DelayQueue;
import io.orrery.viewinghistory.internal.processor.ProcessorRoute;
import io.orrery.viewinghistory.internal.processor.ProcessorSettings;
import io.orrery.viewinghistory.internal.processor.SessionProcessor;
import io.orrery.viewinghistory.internal.rest.RequestPath;
import io.orrery.viewinghistory.publisher.testing.KafkaBroker;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The processor on real parts: a Kafka broker, one Hazelcast member (own cluster name, free port, loopback), the
 * queue service on it, an H2 store, and Camel contexts configured as the node's, started on demand.
 */
public final class ProcessorFixture implements AutoCloseable {

    public final KafkaBroker broker;
    public final HazelcastInstance member;
    public final JdbcStore store;
    public final ShardedQueueService queues;
    public final HistoryTable table;
    public final HistoryCache cache;
    public final SessionProcessor processor;
    public final DelayQueue delays;
    public final RequestJournal journal;
    public final ProcessorSettings settings;

    public ProcessorFixture(ProcessorSettings settings) throws Exception {
        this.settings = settings;
        broker = KafkaBroker.start();
        String cluster = "orrery-vh-test-" + UUID.randomUUID();
        member = LoopbackMembers.onFreePort(port -> ClusterMembers.start(new MemberSettings(cluster, port,
                List.of("127.0.0.1:" + port), "127.0.0.1", 0, 0)));
        store = JdbcStore.open("jdbc:h2:mem:vh-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        store.migrate("viewinghistory", getClass().getClassLoader());
        queues = ShardedQueueService.start(member, QueueOptions.DEFAULTS.withPersistence(QueueOptions.Persistence.NONE),
                new SimpleMeterRegistry(), null);
        table = new HistoryTable(store.dataSource());
        cache = new HistoryCache(member, table);
        processor = new SessionProcessor(member, table, cache, settings, Clock.systemUTC());
        delays = new DelayQueue(queues, settings, Clock.systemUTC());
        journal = new RequestJournal(store.dataSource());
    }

    /** The request path as a node builds it: the journal, this processor, this delay queue. */
    public RequestPath requestPath() {
        return new RequestPath(processor, delays, journal, Clock.systemUTC());
    }

    /** A Camel context consuming {@code topic} as group {@code group} in batches of 500 records, started. */
    public CamelContext consume(String topic, String group, int consumers) throws Exception {
        return consume(topic, group, consumers, 500);
    }

    /** A Camel context consuming {@code topic} as group {@code group} in batches of {@code batchSize}, started. */
    public CamelContext consume(String topic, String group, int consumers, int batchSize) throws Exception {
        CamelContext camel = NodeCamel.create(KafkaBroker.freePort(), broker.bootstrap());
        camel.start();
        camel.addRoutes(new ProcessorRoute(processor, delays,
                new ProcessorRoute.Source(topic, group, broker.bootstrap(), null, consumers, batchSize),
                Duration.ofSeconds(1)));
        return camel;
    }

    public void publish(String topic, List<PlaybackEvent> events) {
        publishRaw(topic, events.stream().map(EventCodec::write).toList());
    }

    /**
     * Publishes every record, and returns only once the broker has all of them: a record the producer gave up on
     * fails here, naming its partition, rather than later as a history that never completes.
     */
    public void publishRaw(String topic, List<byte[]> records) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrap(),
                "linger.ms", "5", "acks", "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] record : records) {
                sent.add(producer.send(new ProducerRecord<>(topic, record)));
            }
            producer.flush();
        }
        for (Future<RecordMetadata> record : sent) {
            try {
                record.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("Publishing to " + topic + " failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while publishing to " + topic, e);
            }
        }
    }

    /** Every stored entry of these users, by session, with the version zeroed for comparison. */
    public Map<String, HistoryEntry> storedEntries(List<String> users) throws SQLException {
        return StoredHistory.entries(table, users);
    }

    @Override
    public void close() {
        queues.close();
        member.shutdown();
        store.close();
        broker.close();
    }
}
