package io.orrery.queue.internal;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
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
import io.orrery.api.time.ClusterClock;
import io.orrery.queue.grid.MemberShards;
import io.orrery.queue.grid.Shard;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orrery's queues (Timestone) on Hazelcast: the {@link QueueService} of one member, wiring its parts together.
 *
 * <p><b>Sharding.</b> A queue is split into S shards (8 by default, fixed per queue at creation); each shard is one
 * entry of the map {@value #SHARD_MAP} whose value is the whole {@link Shard}, so Hazelcast spreads a queue's
 * shards over partitions and members, backs each one up like any map entry, and every operation is one entry
 * processor that runs on the shard's partition thread, in memory, for a whole batch ({@link ShardMapSettings}).
 *
 * <p>The parts: {@link Enqueuer} (producers), {@link Claimer} (consumers, choosing among shards by their
 * {@link ShardViews}, fairly across tenants with the {@link TenantScheduler}), {@link Settler} (acks and the like),
 * {@link QueueInspection} and {@link QueueAdministration}; {@link LeaseReaper} expires leases and ends delays;
 * {@link JournalWriter} (write-behind) and {@link ClusterRestore} keep the queues across a full restart. Time is
 * the cluster's ({@link QueueClock}); a member on the minority side of a split takes no work
 * ({@link MajorityGuard}).
 *
 * <p>Idempotency: a message id is refused while the queue holds it and, once finished, for the idempotency window
 * (5 minutes by default, at most 20,000 finished ids per shard). Across a full restart only ids the store heard of
 * are remembered: a message enqueued and finished within one journal interval was never written (short-lived
 * messages cost the store nothing), so its id is taken again after a restart.
 */
public final class ShardedQueueService implements QueueService, AutoCloseable {

    public static final String SHARD_MAP = "orrery.queue.shards";
    private static final Logger LOG = LoggerFactory.getLogger(ShardedQueueService.class);

    private final HazelcastInstance hz;
    private final QueueOptions options;
    private final QueueContext ctx;
    private final Doorbell doorbell;
    private final Claimer claimer;
    private final Enqueuer enqueuer;
    private final Settler settler;
    private final QueueInspection inspection;
    private final QueueAdministration administration;
    private final LeaseReaper reaper;
    private final MessageTable table;
    private final JournalWriter journal;
    private final QueueMetrics metrics;
    private final LocalDepths depths;
    private final TenantPurges purges;
    private final List<Thread> threads = new ArrayList<>();

    private ShardedQueueService(HazelcastInstance hz, QueueOptions options, MeterRegistry meters, Store store,
                                Clock machineClock) {
        this.hz = hz;
        this.options = options;
        ShardMapSettings.apply(hz, SHARD_MAP);
        LocalDepths[] depths = new LocalDepths[1];
        // Read lazily: the registry below learns the cluster's queues, and makes their gauges, before the depths
        // can be made.
        this.metrics = new QueueMetrics(meters, q -> depths[0] == null ? null : depths[0].of(q));
        // A view is trusted for 5 s: changes made elsewhere arrive as doorbell hints; staleness is the safety net.
        ShardViews views = new ShardViews(TimeUnit.SECONDS.toNanos(5));
        this.doorbell = new Doorbell(hz, views);
        ShardCalls calls = new ShardCalls(hz.getMap(SHARD_MAP), views, doorbell, metrics);
        LocalShards local = new LocalShards(hz);
        boolean persistent = store != null && options.persistence() == QueueOptions.Persistence.WRITE_BEHIND;
        this.table = persistent ? new MessageTable(store.dataSource()) : null;
        QueueRegistry registry = new QueueRegistry(hz, options, this::saveQueue, route -> metrics.gauges(route.id()));
        QueueClock clock = new QueueClock(machineClock, new ClusterClock(hz.getCluster()::getClusterTime));
        this.ctx = new QueueContext(registry, calls, clock, metrics, new MajorityGuard(hz));
        depths[0] = new LocalDepths(ctx, local, () -> hz.getLifecycleService().isRunning());
        this.depths = depths[0];
        this.purges = new TenantPurges(hz, this::forgetMeters);
        this.enqueuer = new Enqueuer(ctx);
        this.settler = new Settler(ctx);
        this.inspection = new QueueInspection(ctx);
        this.administration = new QueueAdministration(ctx, inspection);
        this.claimer = new Claimer(ctx, views, new TenantScheduler(options.tenantWeights()), doorbell,
                options.idlePoll().toNanos(), hz.getName());
        this.reaper = new LeaseReaper(ctx, local, Math.max(1, options.reapInterval().toMillis()), 5000,
                hz.getName());
        this.journal = persistent ? new JournalWriter(ctx, new JournalShards(hz, registry, local), table, options,
                meters, hz.getName()) : null;
    }

    /**
     * Starts the queue service of a member: registers the shard map's configuration, restores the queues from the
     * store if the cluster has just started from nothing, and starts the reaper and the journal writer.
     *
     * @param store null, or the store to persist to (its {@code queue} schema is migrated here)
     */
    public static ShardedQueueService start(HazelcastInstance hz, QueueOptions options, MeterRegistry meters,
                                            Store store) {
        return start(hz, options, meters, store, Clock.systemUTC());
    }

    /** As {@link #start(HazelcastInstance, QueueOptions, MeterRegistry, Store)}, with this machine's clock given. */
    static ShardedQueueService start(HazelcastInstance hz, QueueOptions options, MeterRegistry meters, Store store,
                                     Clock machineClock) {
        if (store != null && options.persistence() == QueueOptions.Persistence.WRITE_BEHIND) {
            store.migrate("queue", ShardedQueueService.class.getClassLoader());
        }
        ShardedQueueService service = new ShardedQueueService(hz, options, meters, store, machineClock);
        try {
            service.begin();
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    private void begin() {
        hz.getUserContext().put(MemberShards.CONTEXT_KEY, (MemberShards) (key, nextDue, unwritten) -> {
            reaper.schedule(key, nextDue);
            if (journal != null) {
                journal.owes(key, unwritten);
            }
        });
        if (table != null) {
            new ClusterRestore(hz, ctx, table, options).restoreIfFirst();
            journal.register();
        }
        startThread("orrery-queue-reaper", reaper);
        if (journal != null) {
            startThread("orrery-queue-journal", journal);
        }
    }

    private void startThread(String name, Runnable r) {
        Thread t = new Thread(r, name + "-" + hz.getName());
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    // ---- the QueueService, by part ------------------------------------------------------------------------

    @Override
    public boolean enqueue(QueueMessage message) {
        return enqueuer.enqueue(message);
    }

    @Override
    public List<Boolean> enqueueAll(List<QueueMessage> messages) {
        return enqueuer.enqueueAll(messages);
    }

    @Override
    public List<Claim> claim(ClaimRequest request) throws InterruptedException {
        return claimer.claim(request);
    }

    @Override
    public boolean ack(QueueId queue, String messageId, String leaseToken) {
        return settler.ack(queue, messageId, leaseToken);
    }

    @Override
    public int ackAll(List<Claim> claims) {
        return settler.ackAll(claims);
    }

    @Override
    public boolean nack(Claim claim, Duration delay, String reason) {
        return settler.nack(claim, delay, reason);
    }

    @Override
    public boolean reject(Claim claim, String reason) {
        return settler.reject(claim, reason);
    }

    @Override
    public Optional<Claim> extend(Claim claim, Duration lease) {
        return settler.extend(claim, lease);
    }

    @Override
    public boolean cancel(QueueId queue, String messageId) {
        return administration.cancel(queue, messageId);
    }

    @Override
    public Optional<MessageInfo> find(QueueId queue, String messageId) {
        return inspection.find(queue, messageId);
    }

    @Override
    public List<MessageInfo> browse(QueueId queue, MessageState state, int limit) {
        return inspection.browse(queue, state, limit);
    }

    @Override
    public QueueStats stats(QueueId queue) {
        return inspection.stats(queue);
    }

    @Override
    public List<QueueId> queues() {
        return ctx.registry().all().stream().map(QueueRoute::id).toList();
    }

    @Override
    public int replayDead(QueueId queue, int max) {
        return administration.replayDead(queue, max);
    }

    @Override
    public long purge(QueueId queue) {
        return administration.purge(queue);
    }

    /**
     * Purges the tenant's queues and drops their meters on every member. The queues themselves stay registered
     * (the journal writes the purge through them), so the meters are what a deleted tenant would leave behind.
     */
    @Override
    public long purgeTenant(String tenant) {
        long dropped = QueueService.super.purgeTenant(tenant);
        forgetMeters(tenant);
        purges.announce(tenant);
        return dropped;
    }

    private void forgetMeters(String tenant) {
        depths.forget(tenant);
        int removed = metrics.forget(tenant);
        LOG.info("tenant {}: its queues purged, {} of their meters removed from this member", tenant, removed);
    }

    @Override
    public QueueSettings settings(QueueId queue) {
        return ctx.registry().find(queue).map(QueueRoute::settings).orElse(options.defaults());
    }

    @Override
    public void configure(QueueId queue, QueueSettings settings) {
        ctx.registry().configure(queue, settings);
    }

    // ---- persistence and lifecycle ------------------------------------------------------------------------

    private void saveQueue(QueueRoute route) {
        if (table == null) {
            return;
        }
        try {
            table.saveQueue(route);
        } catch (SQLException e) {
            LOG.warn("{}: queue settings not saved to the store: {}", route.id(), e.toString());
        }
    }

    /** Writes every change owed by the shards this member writes for (tests; shutdown). */
    public void flushJournal() throws SQLException {
        if (journal != null) {
            journal.flushAll();
        }
    }

    /**
     * How many times this member's doorbell rang, for its own changes and for other members' hints: a test waits
     * for it to move instead of sleeping until a hint has arrived.
     */
    long doorbellGeneration() {
        return doorbell.generation();
    }

    /** The longest any written change waited for its write, in microseconds (the measured loss window). */
    public long maxPersistLagMicros() {
        return journal == null ? 0 : journal.maxLagMicros();
    }

    @Override
    public void close() {
        reaper.stop();
        if (journal != null) {
            journal.stop();
        }
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (journal != null && hz.getLifecycleService().isRunning() && ctx.guard().present()) {
            try {
                journal.flushAll();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("queue journal: final flush failed: {}", e.toString());
            }
        }
        if (hz.getLifecycleService().isRunning()) {
            if (journal != null) {
                journal.unregister();
            }
            hz.getUserContext().remove(MemberShards.CONTEXT_KEY);
            doorbell.close();
            purges.close();
            ctx.registry().close();
            ctx.guard().close();
        }
    }
}
