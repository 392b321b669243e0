package io.orrery.viewinghistory.publisher.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producers to one Kafka cluster: one with {@code acks=all} and idempotence for critical events, one with
 * {@code acks=1} for the rest (cheaper; Kafka's own replication is enough for them), both choosing partitions
 * with {@link InSyncPartitioner}.
 */
public final class ClusterLink implements AutoCloseable {

    private final String name;
    private final String bootstrap;
    private final Producer<byte[], byte[]> critical;
    private final Producer<byte[], byte[]> plain;
    private final Duration timeout;

    public ClusterLink(String name, String bootstrap, Duration deliveryTimeout, Map<String, String> extra) {
        this.name = name;
        this.bootstrap = bootstrap;
        this.timeout = deliveryTimeout;
        this.critical = producer(bootstrap, deliveryTimeout, extra, true);
        this.plain = producer(bootstrap, deliveryTimeout, extra, false);
    }

    private static Producer<byte[], byte[]> producer(String bootstrap, Duration delivery, Map<String, String> extra,
                                                      boolean critical) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put("partitioner.class", InSyncPartitioner.class.getName());
        props.put("linger.ms", "5");
        props.put("batch.size", String.valueOf(128 * 1024));
        int requestMs = (int) Math.max(500, delivery.toMillis() / 2);
        props.put("request.timeout.ms", String.valueOf(requestMs));
        props.put("delivery.timeout.ms", String.valueOf(Math.max(delivery.toMillis(), requestMs + 5)));
        props.put("max.block.ms", String.valueOf(delivery.toMillis()));
        props.put("reconnect.backoff.max.ms", "1000");
        props.putAll(extra);
        if (critical) {
            props.put("acks", "all");
            props.put("enable.idempotence", "true");
            props.put("max.in.flight.requests.per.connection", "5");
        } else {
            props.put("acks", "1");
            props.put("enable.idempotence", "false");
        }
        props.put("client.id", "orrery-vh-" + (critical ? "critical-" : "plain-") + System.identityHashCode(props));
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // kafka-clients loads the partitioner by name through the context class loader (under OSGi: ours).
        Thread.currentThread().setContextClassLoader(ClusterLink.class.getClassLoader());
        try {
            return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    public String name() {
        return name;
    }

    public Producer<byte[], byte[]> producer(boolean criticalEvent) {
        return criticalEvent ? critical : plain;
    }

    /** Whether the cluster answers a metadata request within the delivery timeout and has a controller. */
    public boolean reachable() {
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrap,
                "request.timeout.ms", String.valueOf(timeout.toMillis()),
                "default.api.timeout.ms", String.valueOf(timeout.toMillis()));
        try (Admin admin = Admin.create(props)) {
            List<?> nodes = List.copyOf(admin.describeCluster(new DescribeClusterOptions()
                    .timeoutMs((int) timeout.toMillis())).nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            return !nodes.isEmpty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    @Override
    public void close() {
        try {
            critical.close(timeout);
        } finally {
            plain.close(timeout);
        }
    }
}
