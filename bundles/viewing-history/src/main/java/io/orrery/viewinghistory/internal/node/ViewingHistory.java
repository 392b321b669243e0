package io.orrery.viewinghistory.internal.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orrery.api.kafka.KafkaConnection;
import io.orrery.api.queue.QueueService;
import io.orrery.api.store.Store;
import io.orrery.viewinghistory.internal.history.HistoryCache;
import io.orrery.viewinghistory.internal.history.HistoryTable;
import io.orrery.viewinghistory.internal.history.RequestJournal;
import io.orrery.viewinghistory.internal.processor.ConsumerScaling;
import io.orrery.viewinghistory.internal.processor.DelayQueue;
import io.orrery.viewinghistory.internal.processor.ProcessorRoute;
import io.orrery.viewinghistory.internal.processor.ProcessorSettings;
import io.orrery.viewinghistory.internal.processor.SessionProcessor;
import io.orrery.viewinghistory.internal.region.HomeRegions;
import io.orrery.viewinghistory.internal.region.RegionForwarder;
import io.orrery.viewinghistory.internal.rest.HistoryQueries;
import io.orrery.viewinghistory.internal.rest.PlaybackIntake;
import io.orrery.viewinghistory.internal.rest.RequestPath;
import io.orrery.viewinghistory.internal.rest.RequestPathRecovery;
import io.orrery.viewinghistory.internal.rest.Rollout;
import io.orrery.viewinghistory.internal.shadow.ShadowMetrics;
import io.orrery.viewinghistory.internal.shadow.ShadowValidator;
import io.orrery.viewinghistory.publisher.PlaybackPublisher;
import io.orrery.viewinghistory.publisher.PublisherSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Viewing history on this node: the publisher, the processor and its delay queue, the read side and the rollout,
 * built from {@code io.orrery.viewinghistory}. The routes ({@code ProcessorRoutes}), the REST resource
 * ({@code PlaybackResource}) and the shell commands use it; a configuration change rebuilds all of them.
 */
@Component(service = ViewingHistory.class, configurationPid = "io.orrery.viewinghistory",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ViewingHistoryConfig.class)
public class ViewingHistory {

    /** Cluster-wide settings changed at run time (the rollout percentage). */
    public static final String SETTINGS = "orrery.viewinghistory.settings";
    private static final Logger LOG = LoggerFactory.getLogger(ViewingHistory.class);
    /** How old a request path event is before its session may be found settled (it is journaled, then appended). */
    private static final Duration REQUEST_JOURNAL_SETTLE = Duration.ofMinutes(1);

    private final ViewingHistoryConfig config;
    private final ProcessorSettings settings;
    private final PlaybackPublisher publisher;
    private final SessionProcessor processor;
    private final DelayQueue delays;
    private final DelayQueue requestPathRetries;
    private final IMap<String, Integer> runtime;
    private final Rollout rollout;
    private final PlaybackIntake intake;
    private final RequestPathRecovery recovery;
    private final HistoryQueries queries;
    private final ProcessorRoute.Source source;
    private final ProcessorRoute.Consumers consumers;
    private final SessionProcessor shadowProcessor;
    private final ShadowValidator validator;
    private final HomeRegions regions;
    private final RegionForwarder forwarder;
    private final List<Meter> meters = new ArrayList<>();
    private final MeterRegistry registry;

    @Activate
    public ViewingHistory(@Reference HazelcastInstance hazelcast, @Reference Store store,
                          @Reference QueueService queues, @Reference KafkaConnection kafka,
                          @Reference(cardinality = ReferenceCardinality.OPTIONAL,
                                  policyOption = ReferencePolicyOption.GREEDY) MeterRegistry registry,
                          ViewingHistoryConfig config) {
        this.config = config;
        this.registry = registry;
        store.migrate("viewinghistory", ViewingHistory.class.getClassLoader());
        this.settings = new ProcessorSettings(config.tenant(), Duration.ofSeconds(config.inactivityGapSeconds()),
                Duration.ofDays(2), Duration.ofMillis(config.retryBaseMillis()),
                Duration.ofMillis(config.retryMaxMillis()), config.maxAttempts());
        String primary = config.primaryBootstrap().isBlank() ? kafka.bootstrapServers() : config.primaryBootstrap();
        this.regions = HomeRegions.parse(config.region(), config.regions(), config.homeRegions(), config.topic());
        HistoryTable table = new HistoryTable(store.dataSource());
        HistoryCache cache = new HistoryCache(hazelcast, table);
        this.processor = new SessionProcessor(hazelcast, table, cache, settings, Clock.systemUTC());
        if (config.shadowMode()) {
            HistoryTable shadowTable = new HistoryTable(store.dataSource(), HistoryTable.SHADOW);
            this.shadowProcessor = new SessionProcessor(hazelcast, SessionProcessor.SHADOW_SESSIONS, shadowTable,
                    HistoryCache.shadow(hazelcast, shadowTable), settings, Clock.systemUTC());
        } else {
            this.shadowProcessor = null;
        }
        this.validator = new ShadowValidator(table, new HistoryTable(store.dataSource(), HistoryTable.SHADOW));
        this.delays = new DelayQueue(queues, settings, Clock.systemUTC());
        this.requestPathRetries = new DelayQueue(queues, settings, Clock.systemUTC(),
                ProcessorSettings.REQUEST_PATH_RETRY_QUEUE);
        this.runtime = hazelcast.getMap(SETTINGS);
        this.rollout = new Rollout(() -> runtime.getOrDefault("rolloutPercent", config.rolloutPercent()));
        this.queries = new HistoryQueries(cache, table);
        this.source = new ProcessorRoute.Source(config.topic(), "orrery-viewing-history", primary,
                config.backupBootstrap(), Math.max(1, config.consumers()), Math.max(1, config.batchSize()));
        int fixed = source.consumers();
        this.consumers = new ProcessorRoute.Consumers(config.maxConsumers() > fixed ? new ConsumerScaling(fixed,
                config.maxConsumers(), Duration.ofSeconds(config.scaleDownCoolDownSeconds()))
                .withBaseline(config.consumerBaseline()) : null, fixed,
                Duration.ofSeconds(Math.max(1, config.scaleIntervalSeconds())), Clock.systemUTC());
        // What runs threads and holds connections comes last, and is closed again if a later part is refused:
        // SCR calls no deactivate for a constructor that throws, and each corrected attempt would leak another set.
        this.publisher = new PlaybackPublisher(PublisherSettings.of(config.topic(), primary, config.backupBootstrap())
                .withBufferCapacity(config.bufferCapacity())
                .withTimeouts(Duration.ofMillis(config.deliveryTimeoutMillis()), Duration.ofSeconds(2)));
        try {
            this.forwarder = regions == null ? null : new RegionForwarder(regions, config.deliveryTimeoutMillis());
        } catch (RuntimeException refused) {
            publisher.close();
            throw refused;
        }
        RequestPath requestPath = new RequestPath(processor, requestPathDelays(),
                new RequestJournal(store.dataSource()), Clock.systemUTC());
        this.intake = new PlaybackIntake(publisher, requestPath, rollout, config.shadowMode(),
                regions == null ? null : regions::topicFor);
        this.recovery = new RequestPathRecovery(requestPath, REQUEST_JOURNAL_SETTLE, Clock.systemUTC());
        if (registry != null) {
            meters.addAll(ShadowMetrics.register(registry, validator));
            meters.add(Gauge.builder("orrery.viewinghistory.request.journal.events", recovery, r -> r.held())
                    .description("Request path events the store holds until their sessions' entries are written")
                    .register(registry));
            meters.add(FunctionCounter.builder("orrery.viewinghistory.partitions.read.again", processor,
                            SessionProcessor::partitionsReadAgain)
                    .description("Kafka partitions read again for the open sessions the grid lost with its members")
                    .register(registry));
            meters.add(FunctionCounter.builder("orrery.viewinghistory.sweep.visited", processor,
                            SessionProcessor::sweptCount)
                    .description("Sessions the idle sweeps of this member visited (those past the inactivity gap)")
                    .register(registry));
            meters.add(FunctionCounter.builder("orrery.viewinghistory.grid.updates.failed", processor,
                            SessionProcessor::gridUpdatesFailed)
                    .description("Marks of written sessions and drops of users' cached lists that failed after the "
                            + "store write (the idle sweep marks such sessions again; a list expires in a minute)")
                    .register(registry));
        }
        LOG.info("Viewing history for tenant {} on topic {} (primary {}, backup {}){}{}", config.tenant(),
                config.topic(), primary, config.backupBootstrap().isBlank() ? "none" : config.backupBootstrap(),
                config.shadowMode() ? ", in shadow mode" : "",
                regions == null ? "" : ", region " + regions.local() + " of " + regions.clusters().keySet());
    }

    @Deactivate
    public void deactivate() {
        publisher.close();
        if (forwarder != null) {
            forwarder.close();
        }
        if (registry != null) {     // optional: a node may run without one
            meters.forEach(registry::remove);
        }
    }

    public String tenant() {
        return config.tenant();
    }

    public PlaybackPublisher publisher() {
        return publisher;
    }

    /** The request path's processor, writing the store users read. */
    public SessionProcessor processor() {
        return processor;
    }

    /** The Kafka path's processor: the request path's, or in shadow mode the one writing the shadow store. */
    public SessionProcessor asyncProcessor() {
        return shadowProcessor != null ? shadowProcessor : processor;
    }

    public boolean shadowMode() {
        return shadowProcessor != null;
    }

    public ShadowValidator validator() {
        return validator;
    }

    /** The region router's view of regions; null with one region. */
    public HomeRegions regions() {
        return regions;
    }

    /** Null with one region. */
    public RegionForwarder forwarder() {
        return forwarder;
    }

    public ViewingHistoryConfig config() {
        return config;
    }

    /** The Kafka path's delay queue (and the request path's, but in shadow mode). */
    public DelayQueue delays() {
        return delays;
    }

    /** Where the request path's failed events wait: {@link #delays()}, or in shadow mode a queue of their own. */
    public DelayQueue requestPathDelays() {
        return shadowMode() ? requestPathRetries : delays;
    }

    /**
     * The request path's own queue ({@link #requestPathDelays()} in shadow mode), retried into the store users read
     * with or without shadow mode: events that failed while it was on still wait there after it is switched off.
     */
    public DelayQueue requestPathRetries() {
        return requestPathRetries;
    }

    public PlaybackIntake intake() {
        return intake;
    }

    /** Appends the request path's journal again once the node starts, and drops what the store holds. */
    public RequestPathRecovery requestPathRecovery() {
        return recovery;
    }

    public HistoryQueries queries() {
        return queries;
    }

    public ProcessorRoute.Source source() {
        return source;
    }

    /** The primary cluster's consumers as currently scaled. */
    public ProcessorRoute.Consumers consumers() {
        return consumers;
    }

    public Rollout rollout() {
        return rollout;
    }

    /** Sets the rollout percentage for every node of the cluster. */
    public void rollout(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent: must be 0 to 100, got " + percent);
        }
        runtime.set("rolloutPercent", percent);
    }

    public Map<String, Long> retryCounters() {
        return delays.counters();
    }
}
