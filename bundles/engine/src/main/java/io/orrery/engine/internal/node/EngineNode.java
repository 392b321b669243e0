package io.orrery.engine.internal.node;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.orrery.api.function.CallPort;
import io.orrery.api.queue.ClaimPacing;
import io.orrery.api.queue.QueueService;
import io.orrery.api.store.Store;
import io.orrery.api.time.ClusterClock;
import io.orrery.engine.internal.EngineCore;
import io.orrery.engine.internal.EngineSettings;
import io.orrery.engine.internal.InstanceTable;
import io.orrery.engine.internal.hazelcast.ClusterReevaluationClaims;
import io.orrery.engine.internal.hazelcast.HazelcastInstanceTable;
import io.orrery.engine.internal.hazelcast.InstanceMapProtection;
import io.orrery.engine.internal.hazelcast.MemberLossRecovery;
import io.orrery.engine.internal.hazelcast.SettledWatch;
import io.orrery.engine.internal.queue.LostOutcomes;
import io.orrery.engine.internal.queue.QueueCallPort;
import io.orrery.engine.internal.queue.QueueWaits;
import io.orrery.engine.internal.queue.ResultConsumer;
import io.orrery.engine.internal.store.DurableInstanceTable;
import io.orrery.engine.internal.store.IdleEviction;
import io.orrery.engine.internal.store.InstanceJournal;
import io.orrery.engine.internal.store.InstanceRestore;
import io.orrery.engine.internal.store.InstanceRows;
import io.orrery.engine.internal.store.RestoreGenerations;
import java.time.Clock;
import java.time.Duration;

/**
 * One node's engine, assembled from the node's parts: instance state in the Hazelcast map (written behind to the
 * store when there is one, restored from it when the cluster starts from nothing), calls and results through the
 * queues, and recovery after the loss of another member. Function calls are run by a worker outside the engine
 * (the {@code orrery-functions} bundle's), which claims them through {@link #callPort()}. The DS component is a thin
 * shell around this; tests and the benchmark build the same thing without OSGi.
 */
public final class EngineNode implements AutoCloseable {

    private final EngineCore engine;
    private final InstanceTable table;
    private final HazelcastInstanceTable map;
    private final InstanceJournal journal;
    private final QueueCallPort port;
    private final MemberLossRecovery recovery;
    private final CallPort callPort;
    private final ResultConsumer results;
    private final SettledWatch watch;
    private final ClusterReevaluationClaims claims;
    private final long restored;
    private final HazelcastInstance hz;
    private final InstanceRows rows;
    private final Clock clock;
    private final MeterRegistry meters;
    private IdleEviction eviction;

    /**
     * @param settings        the engine's knobs
     * @param persistent      write instances behind to the store and restore them (needs a store)
     * @param flushInterval   how often the journal writes (the loss window of a crash of every member)
     * @param resultThreads   threads applying results
     * @param resultBatch     results claimed at once
     * @param recoveryWindow  how far back a member's loss is looked for unfinished work
     * @param claimLinger     the pause of a results thread after a claim that found less than a batch,
     *                        so that the next one finds more (see {@code ClaimPacing}); zero claims at once
     */
    public record Options(EngineSettings settings, boolean persistent, Duration flushInterval, int resultThreads,
                          int resultBatch, Duration recoveryWindow, Duration claimLinger) {

        public static Options defaults() {
            return new Options(EngineSettings.defaults(), true, Duration.ofMillis(100), 2, 256,
                    Duration.ofMinutes(2), Duration.ofMillis(2));
        }

        public Options withSettings(EngineSettings s) {
            return new Options(s, persistent, flushInterval, resultThreads, resultBatch, recoveryWindow, claimLinger);
        }

        public Options withPersistent(boolean p) {
            return new Options(settings, p, flushInterval, resultThreads, resultBatch, recoveryWindow, claimLinger);
        }

        public Options withResults(int threads, int batch) {
            return new Options(settings, persistent, flushInterval, threads, batch, recoveryWindow, claimLinger);
        }

        public Options withFlushInterval(Duration d) {
            return new Options(settings, persistent, d, resultThreads, resultBatch, recoveryWindow, claimLinger);
        }

        public Options withClaimLinger(Duration d) {
            return new Options(settings, persistent, flushInterval, resultThreads, resultBatch, recoveryWindow,
                    d);
        }
    }

    /**
     * Starts the node's engine.
     *
     * @param store  null without persistence
     * @param meters null for a private registry
     */
    public static EngineNode start(HazelcastInstance hz, QueueService queues, Store store, MeterRegistry meters,
                                   Options options) {
        return new EngineNode(hz, queues, store, meters, options);
    }

    private EngineNode(HazelcastInstance hz, QueueService queues, Store store, MeterRegistry meters, Options o) {
        // Timestamps and timers must mean the same on every member: the cluster's time, not this machine's.
        Clock clock = new ClusterClock(hz.getCluster()::getClusterTime);
        this.hz = hz;
        this.clock = clock;
        this.meters = meters;
        String node = hz.getName();
        InstanceMapProtection.configure(hz);
        this.map = new HazelcastInstanceTable(hz);
        InstanceRows rows = null;
        if (o.persistent() && store != null) {
            store.migrate("engine", EngineNode.class.getClassLoader());
            rows = new InstanceRows(store.dataSource());
            this.journal = new InstanceJournal(rows, o.flushInterval(), meters, hz.getName());
            this.table = new DurableInstanceTable(map, rows, journal, hz.getMap(InstanceRestore.META));
        } else {
            this.journal = null;
            this.table = map;
        }
        this.rows = rows;
        this.port = new QueueCallPort(queues, clock);
        this.claims = new ClusterReevaluationClaims(hz);
        this.engine = new EngineCore(o.settings(), table, port, meters, clock, node, claims);
        QueueWaits waits = new QueueWaits(engine.metrics()::tracer, clock);
        port.traced(waits);
        try {
            this.restored = rows == null ? -1 : InstanceRestore.restoreIfFirst(hz, map.map(), rows,
                    new RestoreGenerations(store.dataSource()), new LostOutcomes(queues, meters)::reissue,
                    engine::redispatch);
            DurableInstanceTable durable = table instanceof DurableInstanceTable d ? d : null;
            this.recovery = new MemberLossRecovery(hz, map, durable == null ? null : durable::journal,
                    engine::redispatch, o.recoveryWindow(), clock);
            this.callPort = new NodeCallPort(port, engine, node);
            this.results = new ResultConsumer(queues, engine, o.resultThreads(), o.resultBatch(), node,
                    o.claimLinger(), waits);
            this.watch = new SettledWatch(map.map(), engine);
        } catch (RuntimeException e) {
            engine.close();
            claims.close();
            if (journal != null) {
                journal.close();
            }
            throw e;
        }
    }

    public EngineCore engine() {
        return engine;
    }

    public InstanceTable table() {
        return table;
    }

    public HazelcastInstanceTable map() {
        return map;
    }

    /** The write-behind journal, or null without persistence. */
    public InstanceJournal journal() {
        return journal;
    }

    /** Long-polls answered by whichever member settles the instance. */
    public SettledWatch watch() {
        return watch;
    }

    public QueueCallPort port() {
        return port;
    }

    /** Where a function worker claims this node's calls and delivers their results. */
    public CallPort callPort() {
        return callPort;
    }

    public MemberLossRecovery recovery() {
        return recovery;
    }

    /** Instances this node restored from the store at start; -1 when another node had (or no store). */
    public long restored() {
        return restored;
    }

    /**
     * Starts evicting instances idle for {@code idleAfter} from this member's partitions, sweeping every
     * {@code every}, and reads misses through to the store; answers the eviction, or null without a store.
     */
    public synchronized IdleEviction evictIdle(Duration idleAfter, Duration every) {
        if (!(table instanceof DurableInstanceTable durable) || eviction != null) {
            return eviction;
        }
        durable.readMissesThrough(meters);
        eviction = new IdleEviction(hz, map.map(), rows, idleAfter, every, clock, meters);
        return eviction;
    }

    /** Stops every thread of this node at once, writing nothing more to the store: a crash, for tests. */
    public void halt() {
        closeEviction();
        claims.close();
        if (journal != null) {
            journal.halt();
        }
        results.close();
        recovery.close();
        engine.close();
    }

    private synchronized void closeEviction() {
        if (eviction != null) {
            eviction.close();
        }
    }

    @Override
    public void close() {
        closeEviction();
        claims.close();
        results.close();
        recovery.close();
        engine.close();
        if (journal != null) {
            journal.close();
        }
    }
}
