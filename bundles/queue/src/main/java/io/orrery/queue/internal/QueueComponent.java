package io.orrery.queue.internal;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.orrery.api.health.ComponentHealth;
import io.orrery.api.health.HealthIndicator;
import io.orrery.api.queue.Claim;
import io.orrery.api.queue.ClaimRequest;
import io.orrery.api.queue.MessageInfo;
import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueMessage;
import io.orrery.api.queue.QueueService;
import io.orrery.api.queue.QueueSettings;
import io.orrery.api.queue.QueueStats;
import io.orrery.api.store.Store;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link QueueService} of this node ({@code etc/io.orrery.queue.cfg}): a thin shell around
 * {@link ShardedQueueService} on the node's Hazelcast member. A changed configuration restarts it; the messages live
 * in the cluster, so a restart loses nothing.
 *
 * <p>It starts only once the node's store is there, even with persistence off: started without it, the queues would
 * never be persisted (nothing restarts them when it comes), and the engine, which starts after the queue service,
 * would restore its instances before the queues were read back, asking them about calls they do not know yet.
 *
 * <p>It is also the node's {@code queue} health indicator: the service is registered before the component is
 * activated, and {@code /health} takes the indicator only from a finished activation, so the node does not say it
 * is UP while its queues are still being read back.
 *
 * <p>Class loading: entry processors and shard values ({@code io.orrery.queue.grid}) are deserialized by the
 * member with the class loader of its {@code Config}, the cluster bundle's; that bundle must be able to load
 * them ({@code DynamicImport-Package: io.orrery.queue.grid}, which this bundle exports).
 */
@Component(service = {QueueService.class, HealthIndicator.class}, immediate = true,
        configurationPid = QueueComponent.PID)
@Designate(ocd = QueueComponent.Config.class)
public final class QueueComponent implements QueueService, HealthIndicator {

    public static final String PID = "io.orrery.queue";
    private static final Logger LOG = LoggerFactory.getLogger(QueueComponent.class);

    @ObjectClassDefinition(name = "Orrery queue", description = "Distributed priority queues with leases.")
    public @interface Config {

        @AttributeDefinition(description = "Lease of a claim that names none, in seconds.")
        long leaseSeconds() default 30;

        @AttributeDefinition(description = "Deliveries after which a message that keeps failing is dead.")
        int maxAttempts() default 5;

        @AttributeDefinition(description = "Milliseconds an expired lease's message waits before redelivery.")
        long retryDelayMillis() default 0;

        // 0 (auto): one shard per partition thread of the cluster when the queue is created, 2 to 8. Shards beyond
        // the partition threads add no parallelism but split each batch into more operations: on one 2-core node,
        // 2 shards instead of 8 made the engine 9-15 % faster (see QueueOptions.shardsFor).
        @AttributeDefinition(description = "Shards of a new queue (spread over partitions and members); 0: one per "
                + "partition thread of the cluster when the queue is created, 2 to 8. A queue keeps its count.")
        int shards() default QueueOptions.AUTO_SHARDS;

        @AttributeDefinition(description = "Claim weights by tenant, e.g. acme:3,beta:1 (others weigh 1).")
        String tenantWeights() default "";

        @AttributeDefinition(description = "none, or write-behind (to the store, for full-cluster restarts).")
        String persistence() default "write-behind";

        @AttributeDefinition(description = "Milliseconds between journal writes: the loss window of a full crash.")
        long flushIntervalMillis() default 100;

        @AttributeDefinition(description = "Seconds a finished message id is remembered to refuse duplicates.")
        long idempotencyWindowSeconds() default 300;

        @AttributeDefinition(description = "At most this many finished ids remembered per shard.")
        int idempotencyMaxPerShard() default 20_000;
    }

    @Reference
    private HazelcastInstance hazelcast;

    @Reference
    private Store store;

    /**
     * Every queue meter is made here; the node's registry joins when it is published, which may be after the queues
     * started (a registry read once at activation would leave them recording nowhere), and meters made before it
     * came join it then.
     */
    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindMeters")
    void bindMeters(MeterRegistry registry) {
        meters.add(registry);
    }

    void unbindMeters(MeterRegistry registry) {
        meters.remove(registry);
    }

    private ShardedQueueService queues;
    private QueueOptions options;

    @Activate
    void activate(Config config) {
        options = optionsOf(config);
        queues = ShardedQueueService.start(hazelcast, options, meters, store);
        if (options.persistence() == QueueOptions.Persistence.WRITE_BEHIND) {
            LOG.info("queue: persisted to the store, written behind every {} ms", options.flushInterval().toMillis());
        } else {
            LOG.warn("queue: not persisted (persistence = none): a restart of every member loses the queues");
        }
    }

    static QueueOptions optionsOf(Config c) {
        QueueSettings defaults = new QueueSettings(Duration.ofSeconds(c.leaseSeconds()), c.maxAttempts(),
                Duration.ofMillis(c.retryDelayMillis()));
        QueueOptions.Persistence persistence = switch (c.persistence().trim().toLowerCase(Locale.ROOT)) {
            case "none" -> QueueOptions.Persistence.NONE;
            case "write-behind" -> QueueOptions.Persistence.WRITE_BEHIND;
            default -> throw new IllegalArgumentException("persistence: none or write-behind, got '"
                    + c.persistence() + "'");
        };
        return QueueOptions.DEFAULTS.withDefaults(defaults).withShards(c.shards())
                .withTenantWeights(QueueOptions.parseWeights(c.tenantWeights())).withPersistence(persistence)
                .withFlushInterval(Duration.ofMillis(c.flushIntervalMillis()))
                .withIdempotency(Duration.ofSeconds(c.idempotencyWindowSeconds()), c.idempotencyMaxPerShard());
    }

    @Deactivate
    void deactivate() {
        queues.close();
    }

    @Override
    public String component() {
        return "queue";
    }

    @Override
    public ComponentHealth check() {
        return ComponentHealth.up(component(), Map.of("persistence",
                options.persistence() == QueueOptions.Persistence.WRITE_BEHIND ? "write-behind" : "none"));
    }

    @Override
    public boolean enqueue(QueueMessage message) {
        return queues.enqueue(message);
    }

    @Override
    public List<Boolean> enqueueAll(List<QueueMessage> messages) {
        return queues.enqueueAll(messages);
    }

    @Override
    public List<Claim> claim(ClaimRequest request) throws InterruptedException {
        return queues.claim(request);
    }

    @Override
    public boolean ack(QueueId queue, String messageId, String leaseToken) {
        return queues.ack(queue, messageId, leaseToken);
    }

    @Override
    public int ackAll(List<Claim> claims) {
        return queues.ackAll(claims);
    }

    @Override
    public boolean nack(Claim claim, Duration delay, String reason) {
        return queues.nack(claim, delay, reason);
    }

    @Override
    public boolean reject(Claim claim, String reason) {
        return queues.reject(claim, reason);
    }

    @Override
    public Optional<Claim> extend(Claim claim, Duration lease) {
        return queues.extend(claim, lease);
    }

    @Override
    public boolean cancel(QueueId queue, String messageId) {
        return queues.cancel(queue, messageId);
    }

    @Override
    public Optional<MessageInfo> find(QueueId queue, String messageId) {
        return queues.find(queue, messageId);
    }

    @Override
    public List<MessageInfo> browse(QueueId queue, MessageState state, int limit) {
        return queues.browse(queue, state, limit);
    }

    @Override
    public QueueStats stats(QueueId queue) {
        return queues.stats(queue);
    }

    @Override
    public List<QueueId> queues() {
        return queues.queues();
    }

    @Override
    public int replayDead(QueueId queue, int max) {
        return queues.replayDead(queue, max);
    }

    @Override
    public long purge(QueueId queue) {
        return queues.purge(queue);
    }

    @Override
    public long purgeTenant(String tenant) {
        return queues.purgeTenant(tenant);
    }

    @Override
    public QueueSettings settings(QueueId queue) {
        return queues.settings(queue);
    }

    @Override
    public void configure(QueueId queue, QueueSettings settings) {
        queues.configure(queue, settings);
    }
}
