package io.orrery.queue.internal;

import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
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
import io.orrery.queue.grid.AdminOperation;
import io.orrery.queue.grid.EnqueueOperation;
import io.orrery.queue.grid.InspectOperation;
import io.orrery.queue.grid.MemberShards;
import io.orrery.queue.grid.SettleOperation;
import io.orrery.queue.grid.Settlement;
import io.orrery.queue.grid.Shard;
import io.orrery.queue.grid.ShardReply;
import io.orrery.queue.grid.ShardStats;
import io.orrery.queue.grid.Slot;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orrery's queues (Timestone) on Hazelcast: the {@link QueueService} of one member.
 *
 * <p><b>Sharding.</b> A queue is split into S shards (8 by default, fixed per queue at creation); each shard is one
 * entry of the map {@value #SHARD_MAP} whose value is the whole {@link Shard}, so Hazelcast spreads a queue's
 * shards over partitions and members, backs each one up like any map entry, and every operation is one entry
 * processor that runs on the shard's partition thread, in memory, for a whole batch. Producers spread over shards
 * by message id (or exclusive key); consumers claim from the shard whose head is most urgent.
 *
 * <p><b>Ordering</b> within a shard: priority (9 first), earliest deadline, FIFO. <b>Leases</b> carry a token that
 * names the shard; an expired lease is reaped lazily by the next claim and actively by the owner's
 * {@link LeaseReaper}. <b>Fairness</b> across tenants: {@link TenantScheduler}. <b>Durability</b>: Hazelcast
 * backups for a member's loss; {@link JournalWriter} (write-behind) and {@link ClusterRestore} for a full restart.
 *
 * <p>Idempotency: a message id is refused while the queue holds it and, once finished, for the idempotency window
 * (5 minutes by default, at most 20,000 finished ids per shard), across restarts too.
 */
public final class ShardedQueueService implements QueueService, AutoCloseable {

    public static final String SHARD_MAP = "orrery.queue.shards";
    private static final Logger LOG = LoggerFactory.getLogger(ShardedQueueService.class);

    private final HazelcastInstance hz;
    private final QueueOptions options;
    private final IMap<String, Shard> shards;
    private final QueueMetrics metrics;
    private final ShardViews views;
    private final Doorbell doorbell;
    private final QueueRegistry registry;
    private final ShardCalls calls;
    private final Claimer claimer;
    private final LocalShards local;
    private final LeaseReaper reaper;
    private final MessageTable table;
    private final JournalWriter journal;
    private final LocalDepths depths;
    private final List<Thread> threads = new ArrayList<>();

    private ShardedQueueService(HazelcastInstance hz, QueueOptions options, MeterRegistry meters, Store store) {
        this.hz = hz;
        this.options = options;
        configureShardMap(hz);
        this.shards = hz.getMap(SHARD_MAP);
        this.metrics = new QueueMetrics(meters);
        // A view is trusted for 5 s: changes made elsewhere arrive as doorbell hints; staleness is the safety net.
        this.views = new ShardViews(TimeUnit.SECONDS.toNanos(5));
        this.doorbell = new Doorbell(hz, views);
        this.calls = new ShardCalls(shards, views, doorbell, metrics);
        this.local = new LocalShards(hz);
        this.depths = new LocalDepths();
        boolean persistent = store != null && options.persistence() == QueueOptions.Persistence.WRITE_BEHIND;
        this.table = persistent ? new MessageTable(store.dataSource()) : null;
        this.registry = new QueueRegistry(hz, options, this::saveQueue,
                route -> metrics.gauges(route.id(), depths, LocalDepths::of));
        this.claimer = new Claimer(registry, views, calls, new TenantScheduler(options.tenantWeights()), doorbell,
                metrics, options.idlePoll().toNanos());
        this.reaper = new LeaseReaper(registry, calls, local, Math.max(1, options.reapInterval().toMillis()), 5000);
        this.journal = persistent ? new JournalWriter(registry, calls, local, table, options, meters) : null;
    }

    /**
     * Starts the queue service of a member: registers the shard map's configuration, restores the queues from the
     * store if the cluster has just started from nothing, and starts the reaper and the journal writer.
     *
     * @param store null, or the store to persist to (its {@code queue} schema is migrated here)
     */
    public static ShardedQueueService start(HazelcastInstance hz, QueueOptions options, MeterRegistry meters,
                                            Store store) {
        if (store != null && options.persistence() == QueueOptions.Persistence.WRITE_BEHIND) {
            store.migrate("queue", ShardedQueueService.class.getClassLoader());
        }
        ShardedQueueService service = new ShardedQueueService(hz, options, meters, store);
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
            new ClusterRestore(hz, registry, calls, table, options).restoreIfFirst();
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

    /**
     * The shard map keeps values as objects (entry processors change them in place, no serialization per
     * operation) with the cluster's backup count. Added as dynamic configuration, so the cluster bundle that
     * builds the member's {@code Config} need not know about queues.
     */
    private static void configureShardMap(HazelcastInstance hz) {
        MapConfig defaults = hz.getConfig().getMapConfig("default");
        MapConfig config = new MapConfig(SHARD_MAP).setInMemoryFormat(InMemoryFormat.OBJECT)
                .setBackupCount(defaults.getBackupCount()).setAsyncBackupCount(defaults.getAsyncBackupCount())
                .setReadBackupData(false).setPerEntryStatsEnabled(false);
        try {
            hz.getConfig().addMapConfig(config);
        } catch (RuntimeException e) {
            // another member registered a different one (e.g. a different backup count): use the cluster's
            LOG.warn("queue: shard map configuration not added: {}", e.toString());
        }
    }

    // ---- producers ----------------------------------------------------------------------------------------

    @Override
    public boolean enqueue(QueueMessage message) {
        QueueRoute route = registry.ensure(message.queueId());
        String key = route.shardKeyFor(message.id(), message.exclusiveKey());
        ShardReply reply = calls.call(route, key, new EnqueueOperation(Micros.now(), route.rules(),
                List.of(MessageCodec.toSlot(message, Micros.stamp()))));
        return counted(route, message, reply.flags()[0]);
    }

    @Override
    public List<Boolean> enqueueAll(List<QueueMessage> messages) {
        Map<String, List<Integer>> byShard = new LinkedHashMap<>();
        Map<String, QueueRoute> routes = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            QueueMessage m = messages.get(i);
            QueueRoute route = registry.ensure(m.queueId());
            String key = route.shardKeyFor(m.id(), m.exclusiveKey());
            routes.put(key, route);
            byShard.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        long now = Micros.now();
        List<ShardCalls.Call> batch = new ArrayList<>();
        byShard.forEach((key, indexes) -> {
            QueueRoute route = routes.get(key);
            List<Slot> slots = indexes.stream().map(i -> MessageCodec.toSlot(messages.get(i), Micros.stamp()))
                    .toList();
            batch.add(new ShardCalls.Call(route, key, new EnqueueOperation(now, route.rules(), slots)));
        });
        List<ShardReply> replies = calls.callAll(batch);
        Boolean[] accepted = new Boolean[messages.size()];
        for (int b = 0; b < batch.size(); b++) {
            List<Integer> indexes = byShard.get(batch.get(b).key());
            for (int k = 0; k < indexes.size(); k++) {
                int i = indexes.get(k);
                accepted[i] = counted(batch.get(b).route(), messages.get(i), replies.get(b).flags()[k]);
            }
        }
        return List.of(accepted);
    }

    private boolean counted(QueueRoute route, QueueMessage m, boolean accepted) {
        QueueMetrics.Meters meters = metrics.of(route.id());
        (accepted ? meters.enqueued : meters.duplicates).increment();
        if (LOG.isDebugEnabled()) {
            try (var log = LogContext.of(m.tenant(), m.trace().traceId())) {
                LOG.debug("{}: {} {}", route.id(), accepted ? "enqueued" : "duplicate refused", m.id());
            }
        }
        return accepted;
    }

    // ---- consumers ----------------------------------------------------------------------------------------

    @Override
    public List<Claim> claim(ClaimRequest request) throws InterruptedException {
        return claimer.claim(request);
    }

    @Override
    public boolean ack(QueueId queue, String messageId, String leaseToken) {
        return settle(queue, Settlement.ack(messageId, MessageCodec.slotToken(leaseToken)), leaseToken)
                .map(reply -> countAcks(queue, reply.flags()[0] ? 1 : 0) == 1).orElse(false);
    }

    @Override
    public int ackAll(List<Claim> claims) {
        Map<String, List<Claim>> byShard = new LinkedHashMap<>();
        for (Claim c : claims) {
            int shard = MessageCodec.shardOfToken(c.leaseToken());
            if (shard >= 0) {
                byShard.computeIfAbsent(ShardKeys.key(c.queueId(), shard), k -> new ArrayList<>()).add(c);
            }
        }
        long now = Micros.now();
        List<ShardCalls.Call> batch = new ArrayList<>();
        byShard.forEach((key, claimsOfShard) -> registry.find(claimsOfShard.get(0).queueId()).ifPresent(route ->
                batch.add(new ShardCalls.Call(route, key, new SettleOperation(now, route.rules(), claimsOfShard
                        .stream().map(c -> Settlement.ack(c.messageId(), MessageCodec.slotToken(c.leaseToken())))
                        .toList())))));
        List<ShardReply> replies = calls.callAll(batch);
        int acked = 0;
        for (int b = 0; b < batch.size(); b++) {
            acked += countAcks(batch.get(b).route().id(), trues(replies.get(b).flags()));
        }
        return acked;
    }

    private int countAcks(QueueId queue, int n) {
        metrics.of(queue).acked.increment(n);
        return n;
    }

    @Override
    public boolean nack(Claim claim, Duration delay, String reason) {
        Settlement s = new Settlement(Settlement.Kind.NACK, claim.messageId(),
                MessageCodec.slotToken(claim.leaseToken()), Micros.of(delay == null ? Duration.ZERO : delay), reason);
        boolean ok = settle(claim.queueId(), s, claim.leaseToken()).map(r -> r.flags()[0]).orElse(false);
        if (ok) {
            metrics.of(claim.queueId()).nacked.increment();
            try (var log = LogContext.of(claim.message().tenant(), claim.message().trace().traceId())) {
                LOG.debug("{}: nacked {} (attempt {}): {}", claim.queueId(), claim.messageId(),
                        claim.message().attempts(), reason);
            }
        }
        return ok;
    }

    @Override
    public boolean reject(Claim claim, String reason) {
        Settlement s = new Settlement(Settlement.Kind.REJECT, claim.messageId(),
                MessageCodec.slotToken(claim.leaseToken()), 0, reason);
        boolean ok = settle(claim.queueId(), s, claim.leaseToken()).map(r -> r.flags()[0]).orElse(false);
        if (ok) {
            try (var log = LogContext.of(claim.message().tenant(), claim.message().trace().traceId())) {
                LOG.info("{}: {} rejected to the dead letters: {}", claim.queueId(), claim.messageId(), reason);
            }
        }
        return ok;
    }

    @Override
    public Optional<Claim> extend(Claim claim, Duration lease) {
        Settlement s = new Settlement(Settlement.Kind.EXTEND, claim.messageId(),
                MessageCodec.slotToken(claim.leaseToken()), Micros.of(lease), null);
        return settle(claim.queueId(), s, claim.leaseToken())
                .map(r -> r.slots().isEmpty() ? null : r.slots().get(0))
                .map(slot -> new Claim(claim.message(), claim.leaseToken(), Micros.instant(slot.leaseExpiry()),
                        claim.enqueuedAt()));
    }

    private Optional<ShardReply> settle(QueueId queue, Settlement s, String leaseToken) {
        int shard = MessageCodec.shardOfToken(leaseToken);
        QueueRoute route = registry.find(queue).orElse(null);
        if (route == null || shard < 0 || shard >= route.shards()) {
            return Optional.empty();
        }
        return Optional.of(calls.call(route, ShardKeys.key(queue, shard),
                new SettleOperation(Micros.now(), route.rules(), List.of(s))));
    }

    // ---- administration and inspection --------------------------------------------------------------------

    @Override
    public boolean cancel(QueueId queue, String messageId) {
        return registry.find(queue).map(route -> searchShards(route, messageId, key ->
                calls.call(route, key, AdminOperation.cancel(Micros.now(), route.rules(), messageId)).count() > 0))
                .orElse(false);
    }

    @Override
    public Optional<MessageInfo> find(QueueId queue, String messageId) {
        QueueRoute route = registry.find(queue).orElse(null);
        if (route == null) {
            return Optional.empty();
        }
        Slot[] found = new Slot[1];
        searchShards(route, messageId, key -> {
            found[0] = InspectOperation.found(calls.call(route, key,
                    InspectOperation.find(Micros.now(), route.rules(), messageId)));
            return found[0] != null;
        });
        return Optional.ofNullable(found[0]).map(s -> MessageCodec.toInfo(queue, s));
    }

    /** Tries the shard the id alone maps to first (messages without an exclusive key), then the others. */
    private static boolean searchShards(QueueRoute route, String id, java.util.function.Predicate<String> inShard) {
        String first = route.shardKeyFor(id, null);
        if (inShard.test(first)) {
            return true;
        }
        return route.shardKeys().stream().filter(k -> !k.equals(first)).anyMatch(inShard);
    }

    @Override
    public List<MessageInfo> browse(QueueId queue, MessageState state, int limit) {
        QueueRoute route = registry.find(queue).orElse(null);
        if (route == null || limit <= 0) {
            return List.of();
        }
        List<Slot> all = new ArrayList<>();
        eachShard(route, key -> InspectOperation.browse(Micros.now(), route.rules(), state, limit))
                .forEach(r -> all.addAll(r.slots()));
        Comparator<Slot> order = switch (state) {
            case PENDING -> Comparator.comparingInt((Slot s) -> -s.priority()).thenComparingLong(Slot::deadline)
                    .thenComparingLong(Slot::orderStamp);
            case DELAYED -> Comparator.comparingLong(Slot::availableAt);
            case LEASED -> Comparator.comparingLong(Slot::leaseExpiry);
            default -> Comparator.comparingLong(Slot::stateSince);
        };
        return all.stream().sorted(order).limit(limit).map(s -> MessageCodec.toInfo(queue, s)).toList();
    }

    @Override
    public QueueStats stats(QueueId queue) {
        ShardStats sum = new ShardStats();
        registry.find(queue).ifPresent(route ->
                eachShard(route, key -> InspectOperation.stats(Micros.now(), route.rules()))
                        .forEach(r -> sum.add(r.stats() == null ? new ShardStats() : r.stats())));
        return toStats(queue, sum, Micros.now());
    }

    static QueueStats toStats(QueueId queue, ShardStats s, long now) {
        Map<MessageState, Long> byState = new EnumMap<>(MessageState.class);
        for (MessageState st : MessageState.values()) {
            byState.put(st, s.count(st));
        }
        Map<Integer, Long> byPriority = new TreeMap<>();
        for (int p = 9; p >= 0; p--) {
            if (s.pendingWithPriority(p) > 0) {
                byPriority.put(p, s.pendingWithPriority(p));
            }
        }
        Duration oldest = s.oldestPendingSince() == Slot.NONE ? Duration.ZERO
                : Duration.ofNanos(Math.max(0, now - s.oldestPendingSince()) * 1000);
        return new QueueStats(queue, byState, byPriority, oldest, s.count(MessageState.LEASED),
                s.count(MessageState.DEAD));
    }

    @Override
    public List<QueueId> queues() {
        return registry.all().stream().map(QueueRoute::id).toList();
    }

    @Override
    public int replayDead(QueueId queue, int max) {
        QueueRoute route = registry.find(queue).orElse(null);
        int replayed = 0;
        if (route != null) {
            for (String key : route.shardKeys()) {
                if (replayed >= max) {
                    break;
                }
                replayed += calls.call(route, key, AdminOperation.replay(Micros.now(), route.rules(),
                        max - replayed)).count();
            }
            LOG.info("{}: replayed {} dead letter(s)", queue, replayed);
        }
        return replayed;
    }

    @Override
    public long purge(QueueId queue) {
        QueueRoute route = registry.find(queue).orElse(null);
        if (route == null) {
            return 0;
        }
        long purged = eachShard(route, key -> AdminOperation.purge(Micros.now(), route.rules())).stream()
                .mapToLong(ShardReply::count).sum();
        LOG.info("{}: purged {} message(s)", queue, purged);
        return purged;
    }

    @Override
    public QueueSettings settings(QueueId queue) {
        return registry.find(queue).map(QueueRoute::settings).orElse(options.defaults());
    }

    @Override
    public void configure(QueueId queue, QueueSettings settings) {
        registry.configure(queue, settings);
    }

    /** Runs one operation per shard of the queue, all at once. */
    private List<ShardReply> eachShard(QueueRoute route,
                                       Function<String, io.orrery.queue.grid.ShardOperation> op) {
        return calls.callAll(route.shardKeys().stream().map(key -> new ShardCalls.Call(route, key, op.apply(key)))
                .toList());
    }

    private static int trues(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
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

    /** Writes every change owed by the shards this member owns now (tests; shutdown). */
    public void flushJournal() throws SQLException {
        if (journal != null) {
            journal.flushAll();
        }
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
        if (journal != null && hz.getLifecycleService().isRunning()) {
            try {
                journal.flushAll();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("queue journal: final flush failed: {}", e.toString());
            }
        }
        if (hz.getLifecycleService().isRunning()) {
            hz.getUserContext().remove(MemberShards.CONTEXT_KEY);
            doorbell.close();
            registry.close();
        }
    }

    /** The depth of each queue held by the shards this member owns, recomputed at most every few seconds. */
    private final class LocalDepths {
        private final Map<QueueId, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();

        private record Cached(QueueMetrics.LocalDepth depth, long at) {
        }

        QueueMetrics.LocalDepth of(QueueId queue) {
            long now = System.nanoTime();
            Cached c = cache.get(queue);
            if (c == null || now - c.at > TimeUnit.SECONDS.toNanos(5)) {
                c = new Cached(compute(queue), now);
                cache.put(queue, c);
            }
            return c.depth;
        }

        private QueueMetrics.LocalDepth compute(QueueId queue) {
            ShardStats sum = new ShardStats();
            try {
                QueueRoute route = registry.find(queue).orElse(null);
                if (route != null && hz.getLifecycleService().isRunning()) {
                    for (String key : route.shardKeys()) {
                        if (local.owns(key)) {
                            ShardStats s = calls.call(route, key,
                                    InspectOperation.stats(Micros.now(), route.rules())).stats();
                            sum.add(s == null ? new ShardStats() : s);
                        }
                    }
                }
            } catch (RuntimeException e) {
                LOG.debug("queue depth of {} not read: {}", queue, e.toString());
            }
            long[] byState = new long[MessageState.values().length];
            for (MessageState st : MessageState.values()) {
                byState[st.ordinal()] = sum.count(st);
            }
            double age = sum.oldestPendingSince() == Slot.NONE ? 0
                    : Math.max(0, Micros.now() - sum.oldestPendingSince()) / 1e6;
            return new QueueMetrics.LocalDepth(byState, age);
        }
    }
}
