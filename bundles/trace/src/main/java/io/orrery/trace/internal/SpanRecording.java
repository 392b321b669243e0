package io.orrery.trace.internal;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.orrery.api.store.Store;
import io.orrery.api.trace.SpanRecord;
import io.orrery.api.trace.TraceContext;
import io.orrery.api.trace.TraceReader;
import io.orrery.api.trace.TraceSpan;
import io.orrery.api.trace.Tracer;
import io.orrery.trace.internal.span.OtelTracer;
import io.orrery.trace.internal.span.OtlpExport;
import io.orrery.trace.internal.span.SpanFlusher;
import io.orrery.trace.internal.span.SpanKeeper;
import io.orrery.trace.internal.span.SpanMap;
import io.orrery.trace.internal.span.SpanStore;
import io.orrery.trace.internal.span.SpanTable;
import io.orrery.trace.internal.span.SpanTrim;
import io.orrery.trace.internal.span.SpanWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
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
 * The node's span recording ({@code io.orrery.trace}): the OpenTelemetry SDK hands each ended span to
 * {@link SpanKeeper}, whose {@link SpanFlusher} keeps it, in batches and off the thread that ended it, in the
 * cluster's map (bounded by age and count) and writes it behind to the store (bounded by age);
 * {@link TraceReader} reads both back. What is dropped on the way is counted in
 * {@code orrery_trace_spans_dropped_total} by stage. With an OTLP endpoint configured, spans also go to that
 * collector ({@link OtlpExport}).
 */
@Component(service = {Tracer.class, TraceReader.class}, configurationPid = SpanRecording.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SpanRecording.Config.class)
public final class SpanRecording implements Tracer, TraceReader {

    public static final String PID = "io.orrery.trace";

    @ObjectClassDefinition(name = "Orrery trace", description = "Spans kept by Orrery")
    public @interface Config {
        @AttributeDefinition(description = "Spans the cluster's map keeps per member. From 100 a partition up "
                + "(the default, over 271 partitions) the oldest beyond 60 % of it are dropped every half second "
                + "and each map entry holds a trace's spans of one flush (a quarter of a second), so Hazelcast's "
                + "eviction of the least recently used past this many entries only bounds bursts; below, each "
                + "span is an entry and that eviction keeps the bound exactly")
        int maxSpans() default 100_000;

        @AttributeDefinition(description = "Seconds a span stays in the cluster's map")
        long maxAgeSeconds() default 3600;

        @AttributeDefinition(description = "Hours a span stays in the store")
        long storeRetentionHours() default 72;

        @AttributeDefinition(description = "Spans waiting to be kept in the map, and again spans waiting to be "
                + "written to the store; more are dropped and counted (orrery_trace_spans_dropped_total)")
        int writeBuffer() default 50_000;

        @AttributeDefinition(description = "OTLP/HTTP endpoint spans are also exported to, the full URL of the "
                + "collector's traces resource (e.g. http://collector:4318/v1/traces); empty: none")
        String otlpEndpoint() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(SpanRecording.class);

    private final SdkTracerProvider provider;
    private final OtelTracer tracer;
    private final SpanMap map;
    private final SpanTable table;
    private final SpanWriter writer;
    private final SpanFlusher flusher;
    private final SpanStore reader;
    /** The node's registry joins when it is published, which may be after recording started. */
    private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
    private final ScheduledExecutorService housekeeping;

    @Activate
    public SpanRecording(@Reference HazelcastInstance member, @Reference Store store, Config config) {
        store.migrate("trace", SpanRecording.class.getClassLoader());
        map = new SpanMap(member, config.maxSpans());
        table = new SpanTable(store.dataSource());
        writer = new SpanWriter(table, config.writeBuffer());
        SpanTrim trim = new SpanTrim(config.maxSpans() * 6L / 10);
        flusher = new SpanFlusher(map, writer, trim, config.writeBuffer());
        provider = OtlpExport.to(config.otlpEndpoint(),
                SdkTracerProvider.builder().addSpanProcessor(new SpanKeeper(flusher))).build();
        tracer = new OtelTracer(provider);
        reader = new SpanStore(map, table);
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "orrery-trace-housekeeping");
            t.setDaemon(true);
            return t;
        });
        long retentionMicros = TimeUnit.HOURS.toMicros(config.storeRetentionHours());
        housekeeping.scheduleWithFixedDelay(() -> purge(retentionMicros), 1, 10, TimeUnit.MINUTES);
        long maxAgeMillis = TimeUnit.SECONDS.toMillis(config.maxAgeSeconds());
        long sweep = Math.max(250, Math.min(60_000, maxAgeMillis / 4));
        housekeeping.scheduleWithFixedDelay(() -> sweep(maxAgeMillis), sweep, sweep, TimeUnit.MILLISECONDS);
        if (map.trimmed()) {
            housekeeping.scheduleWithFixedDelay(() -> trim(trim), 500, 500, TimeUnit.MILLISECONDS);
        }
        registerMeters();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindMeters")
    void bindMeters(MeterRegistry registry) {
        meters.add(registry);
    }

    void unbindMeters(MeterRegistry registry) {
        meters.remove(registry);
    }

    private void registerMeters() {
        String dropped = "orrery.trace.spans.dropped";
        FunctionCounter.builder(dropped, flusher, SpanFlusher::dropped).tag("stage", "buffer")
                .description("Ended spans dropped because the recording's buffer was full").register(meters);
        FunctionCounter.builder(dropped, flusher, SpanFlusher::lost).tag("stage", "map")
                .description("Spans the cluster's map refused").register(meters);
        FunctionCounter.builder(dropped, writer, SpanWriter::dropped).tag("stage", "store")
                .description("Spans not written to the store").register(meters);
        Gauge.builder("orrery.trace.spans.backlog", flusher, SpanFlusher::backlog).tag("stage", "buffer")
                .description("Ended spans not yet kept").register(meters);
        Gauge.builder("orrery.trace.spans.backlog", writer, SpanWriter::backlog).tag("stage", "store")
                .description("Spans not yet written to the store").register(meters);
    }

    /** Keeps and writes every span already ended, then stops. */
    @Deactivate
    public void deactivate() {
        housekeeping.shutdownNow();
        provider.close();
        writer.close();
        meters.close();
    }

    @Override
    public TraceSpan start(String name, String tenant, TraceContext parent) {
        return tracer.start(name, tenant, parent);
    }

    @Override
    public TraceContext record(String name, String tenant, TraceContext parent, Instant start, Instant end,
                               Map<String, String> attributes) {
        return tracer.record(name, tenant, parent, start, end, attributes);
    }

    @Override
    public List<SpanRecord> spans(String tenant, String traceId) {
        return reader.spans(tenant, traceId);
    }

    @Override
    public List<SpanRecord> spansOfEveryTenant(String traceId) {
        return reader.spansOfEveryTenant(traceId);
    }

    SpanMap map() {
        return map;
    }

    SpanWriter writer() {
        return writer;
    }

    SpanFlusher flusher() {
        return flusher;
    }

    MeterRegistry meters() {
        return meters;
    }

    private void trim(SpanTrim trim) {
        try {
            long cutoff = trim.cutoff();
            if (cutoff > 0) {
                map.removeOlderThan(cutoff);
            }
        } catch (Exception e) {
            LOG.warn("Trimming the cluster's map of spans failed: {}", e.toString());
        }
    }

    private void sweep(long maxAgeMillis) {
        try {
            map.removeOlderThan(TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis() - maxAgeMillis));
        } catch (Exception e) {
            LOG.warn("Dropping old spans from the cluster's map failed: {}", e.toString());
        }
    }

    private void purge(long retentionMicros) {
        try {
            long now = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
            table.deleteStartedBefore(now - retentionMicros);
        } catch (Exception e) {
            LOG.warn("Purging old spans from the store failed: {}", e.toString());
        }
    }
}
