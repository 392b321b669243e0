package io.orrery.engine.internal.osgi;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.orrery.api.engine.DeployReport;
import io.orrery.api.engine.DryRunReport;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.InstanceStatus;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.engine.WorkflowSummary;
import io.orrery.api.function.CallPort;
import io.orrery.api.health.ComponentHealth;
import io.orrery.api.health.HealthIndicator;
import io.orrery.api.queue.QueueService;
import io.orrery.api.store.Store;
import io.orrery.api.trace.Tracer;
import io.orrery.engine.internal.EngineSettings;
import io.orrery.engine.internal.hazelcast.TenantInstanceCount;
import io.orrery.engine.internal.node.EngineNode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
 * The node's {@link WorkflowEngine} ({@code etc/io.orrery.engine.cfg}): a thin shell around {@link EngineNode} on
 * the node's Hazelcast member, queues and store. It publishes the node's {@link CallPort}, from which the function
 * worker of {@code orrery-functions} claims calls, for as long as it runs. A changed configuration restarts it;
 * instances live in the cluster and the store, so a restart loses nothing, but deployed workflows must be deployed
 * again (the tenant bundle extender does that when the engine service comes back).
 *
 * <p>It is also the node's {@code engine} health indicator, UP from the end of its activation, which restores the
 * instances of a restarted cluster: until then the node cannot take work and {@code /health} does not say it can.
 */
@Component(service = {WorkflowEngine.class, HealthIndicator.class}, immediate = true,
        configurationPid = EngineComponent.PID)
@Designate(ocd = EngineComponent.Config.class)
public final class EngineComponent implements WorkflowEngine, HealthIndicator {

    public static final String PID = "io.orrery.engine";
    private static final Logger LOG = LoggerFactory.getLogger(EngineComponent.class);
    private static final Duration SWEEP_AT_MOST = Duration.ofMinutes(5);

    @ObjectClassDefinition(name = "Orrery engine", description = "The forward-chaining workflow engine.")
    public @interface Config {

        @AttributeDefinition(description = "Milliseconds of CPU one match, action, reaction or error handler may "
                + "use; one that runs ten times as long on the clock, on the CPU or not, is stopped too.")
        long sectionTimeLimitMillis() default 1000;

        @AttributeDefinition(description = "Loop guard: firings of one rule between two requests before the "
                + "instance fails.")
        int loopLimit() default 1000;

        @AttributeDefinition(description = "Firings kept in each instance's log.")
        int firingLogSize() default 100;

        @AttributeDefinition(description = "Per-attempt timeout of a call that names none, in seconds.")
        long callTimeoutSeconds() default 300;

        @AttributeDefinition(description = "Further attempts of a failing call that names none.")
        int callRetries() default 2;

        @AttributeDefinition(description = "Evaluation lanes (threads running tenant code); 0: one per core, "
                + "at least 2.")
        int lanes() default 0;

        @AttributeDefinition(description = "Re-evaluate only rules whose reads changed.")
        boolean dependencyTracking() default true;

        @AttributeDefinition(description = "Threads claiming results.")
        int resultThreads() default 2;

        @AttributeDefinition(description = "Results claimed at once.")
        int resultBatch() default 256;

        @AttributeDefinition(description = "Microseconds a busy results thread pauses after a claim that "
                + "found less than a batch, so that its next claim finds a batch (fewer queue operations under "
                + "load, at most this much more latency per hop); 0 claims at once.")
        long claimLingerMicros() default 2000;

        @AttributeDefinition(description = "none, or write-behind (instances written to the store, restored "
                + "after a full restart).")
        String persistence() default "write-behind";

        @AttributeDefinition(description = "Milliseconds between writes to the store: the loss window of a crash "
                + "of every member.")
        long flushIntervalMillis() default 100;

        @AttributeDefinition(description = "Seconds before a member's loss within which survivors re-check "
                + "changed instances.")
        long recoveryWindowSeconds() default 120;

        @AttributeDefinition(description = "Seconds an instance may stay untouched before it leaves memory, its "
                + "stored copy kept and read back on its next event (needs write-behind; set alike on every node); "
                + "0 keeps every instance in memory.")
        long evictIdleAfterSeconds() default 0;
    }

    @Reference
    private HazelcastInstance hazelcast;

    @Reference
    private QueueService queues;

    @Reference
    private Store store;

    /**
     * Every meter is made here; the node's registry joins when it is published, which may be after this component
     * started (a registry read once at activation would leave its meters recording nowhere).
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
    private volatile Tracer tracer;

    private volatile EngineNode node;
    private ServiceRegistration<CallPort> callPort;

    /** Records rule firing spans when the trace bundle is up. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            unbind = "unbindTracer")
    void bindTracer(Tracer t) {
        tracer = t;
        EngineNode current = node;
        if (current != null) {
            current.engine().metrics().tracer(t);
        }
    }

    void unbindTracer(Tracer t) {
        if (tracer == t) {
            bindTracer(null);
        }
    }

    @Activate
    void activate(BundleContext context, Config config) {
        EngineNode.Options options = optionsOf(config);
        Duration idle = idleOf(config);
        node = EngineNode.start(hazelcast, queues, store, meters, options);
        node.engine().metrics().tracer(tracer);
        if (!idle.isZero()) {
            Duration every = idle.dividedBy(4);
            node.evictIdle(idle, every.compareTo(SWEEP_AT_MOST) > 0 ? SWEEP_AT_MOST
                    : every.isZero() ? Duration.ofSeconds(1) : every);
        }
        callPort = context.registerService(CallPort.class, node.callPort(), null);
        LOG.info("engine started: {} lanes, persistence {}", node.engine().settingsLanes(), config.persistence());
    }

    @Override
    public String component() {
        return "engine";
    }

    @Override
    public ComponentHealth check() {
        EngineNode current = node;
        return current == null ? ComponentHealth.down(component(), "stopped")
                : ComponentHealth.up(component(), Map.of("lanes", current.engine().settingsLanes()));
    }

    /**
     * How long an instance may stay idle in memory; zero keeps them all. The sweep (in {@link #activate}) runs four
     * times per idle period, and at least every 5 minutes.
     */
    static Duration idleOf(Config c) {
        if (c.evictIdleAfterSeconds() < 0) {
            throw new IllegalArgumentException("evictIdleAfterSeconds: 0 (off) or more, got "
                    + c.evictIdleAfterSeconds());
        }
        return Duration.ofSeconds(c.evictIdleAfterSeconds());
    }

    static EngineNode.Options optionsOf(Config c) {
        EngineSettings defaults = EngineSettings.defaults();
        EngineSettings settings = new EngineSettings(Duration.ofMillis(c.sectionTimeLimitMillis()), c.loopLimit(),
                c.firingLogSize(), Duration.ofSeconds(c.callTimeoutSeconds()), c.callRetries(),
                c.lanes() > 0 ? c.lanes() : defaults.lanes(), c.dependencyTracking());
        boolean persistent = switch (c.persistence().trim().toLowerCase(Locale.ROOT)) {
            case "none" -> false;
            case "write-behind" -> true;
            default -> throw new IllegalArgumentException("persistence: none or write-behind, got '"
                    + c.persistence() + "'");
        };
        return new EngineNode.Options(settings, persistent, Duration.ofMillis(c.flushIntervalMillis()),
                Math.max(1, c.resultThreads()), Math.max(1, c.resultBatch()),
                Duration.ofSeconds(c.recoveryWindowSeconds()),
                Duration.ofNanos(Math.max(0, c.claimLingerMicros()) * 1000));
    }

    @Deactivate
    void deactivate() {
        if (callPort != null) {
            callPort.unregister(); // the worker stops claiming before the queues it claims from go
            callPort = null;
        }
        EngineNode stopping = node;
        node = null;
        if (stopping != null) {
            stopping.close();
        }
    }

    private EngineNode node() {
        EngineNode n = node;
        if (n == null) {
            throw new IllegalStateException("engine: stopped");
        }
        return n;
    }

    @Override
    public List<DeployReport> deploy(String tenant, WorkflowModule module) {
        return node().engine().deploy(tenant, module);
    }

    @Override
    public List<DryRunReport> dryRun(String tenant, WorkflowModule module) {
        return node().engine().dryRun(tenant, module);
    }

    @Override
    public void undeploy(String tenant, List<String> workflows) {
        node().engine().undeploy(tenant, workflows);
    }

    @Override
    public long deleteTenant(String tenant) {
        return node().engine().deleteTenant(tenant);
    }

    @Override
    public List<WorkflowSummary> workflows(String tenant) {
        return node().engine().workflows(tenant);
    }

    @Override
    public InstanceView submit(InstanceRequest request) {
        return node().engine().submit(request);
    }

    @Override
    public Optional<InstanceView> find(InstanceId id) {
        return node().engine().find(id);
    }

    @Override
    public List<InstanceView> list(String tenant, String workflow, InstanceStatus status, int offset, int limit) {
        return node().engine().list(tenant, workflow, status, offset, limit);
    }

    @Override
    public List<InstanceView> listAfter(String tenant, String workflow, InstanceStatus status, String after,
                                        int limit) {
        return node().engine().listAfter(tenant, workflow, status, after, limit);
    }

    @Override
    public InstanceView retry(InstanceId id) {
        return node().engine().retry(id);
    }

    @Override
    public long countInstances(String tenant, long atMost) {
        return new TenantInstanceCount(node().map().map()).count(tenant);
    }

    @Override
    public CompletableFuture<InstanceView> awaitSettled(InstanceId id, Duration timeout) {
        return node().watch().awaitSettled(id, timeout);
    }
}
