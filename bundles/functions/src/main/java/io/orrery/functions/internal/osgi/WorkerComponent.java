package io.orrery.functions.internal.osgi;

import io.orrery.api.function.CallAdmission;
import io.orrery.api.function.CallPort;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.queue.Backoff;
import io.orrery.api.trace.Tracer;
import io.orrery.functions.internal.worker.CallWaits;
import io.orrery.functions.internal.worker.FixedSlots;
import io.orrery.functions.internal.worker.FunctionDirectory;
import io.orrery.functions.internal.worker.FunctionWorker;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's function worker: claims calls from the engine's {@link CallPort} for as long as the engine publishes it
 * (the reference is optional, so this bundle resolves and starts without the engine, and a restarted engine gets a new
 * worker on its new port), has each admitted by the node's resource pools ({@link CallAdmission}; slots of its own
 * until they are published), and runs it with the functions of the engine's deployed modules first, then the
 * {@link OrreryFunction} services (a tenant's hosted functions, platform functions). Its settings keep their place in the
 * engine's file, {@code etc/io.orrery.engine.cfg}, where they were before the worker left the engine.
 */
@Component(service = {}, immediate = true, configurationPid = WorkerComponent.PID)
public final class WorkerComponent {

    public static final String PID = "io.orrery.engine";
    private static final Logger LOG = LoggerFactory.getLogger(WorkerComponent.class);

    /** The worker's keys in {@value #PID} (the engine's own are declared by the engine). */
    public @interface Config {

        /** Threads claiming calls (and the slots while no resource pools are published); 0: no worker here. */
        int workerThreads() default 2;

        /** Calls a worker thread claims at once. */
        int workerBatch() default 32;

        /** Microseconds a busy claiming thread pauses after a claim that found less than a batch; 0: none. */
        long claimLingerMicros() default 2000;
    }

    private Config config;
    private CallPort port;

    /** The node's resource pools; until they are published the worker admits calls with slots of its own. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CallAdmission pools;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Tracer tracer;

    /** The node's function hosts, which follow the queue wait of the calls the worker starts. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CallWaits waits;

    private final FunctionDirectory functions = new FunctionDirectory();
    private FunctionWorker worker;

    @Reference(service = OrreryFunction.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removeFunction")
    void addFunction(ServiceReference<OrreryFunction> ref, OrreryFunction f, Map<String, Object> properties) {
        if (!functions.add(f, properties, bundleTenant(ref))) {
            LOG.warn("function {} of bundle {} refused: it claims tenant {} but its bundle belongs to {}", f.name(),
                    ref.getBundle().getSymbolicName(), properties.get(FunctionDirectory.TENANT), bundleTenant(ref));
        }
    }

    void removeFunction(ServiceReference<OrreryFunction> ref, OrreryFunction f, Map<String, Object> properties) {
        functions.remove(f, properties, bundleTenant(ref));
    }

    private static String bundleTenant(ServiceReference<?> ref) {
        return ref.getBundle() == null ? null : ref.getBundle().getHeaders("").get("Orrery-Tenant");
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindPort")
    synchronized void bindPort(CallPort p) {
        port = p;
        restart();
    }

    synchronized void unbindPort(CallPort p) {
        if (port == p) {
            port = null;
            restart();
        }
    }

    @Activate
    synchronized void activate(Config c) {
        config = c;
        restart();
    }

    /** Stops the running worker, if any, and starts one on the port in force when there is a port and a config. */
    private void restart() {
        if (worker != null) {
            worker.close(); // its claims expire and its calls run again, on the next worker
            worker = null;
        }
        if (config == null || port == null) {
            return;
        }
        int threads = config.workerThreads();
        if (threads <= 0) {
            LOG.info("function worker: none on this node (workerThreads {})", threads);
            return;
        }
        int batch = Math.max(1, config.workerBatch());
        CallAdmission own = new FixedSlots(threads, threads * batch);
        CallPort calls = port;
        worker = new FunctionWorker(calls, (tenant, name) -> find(calls, tenant, name), calls::deliver, threads, batch,
                Backoff.defaults(), calls.node(), () -> {
                    CallAdmission published = pools;
                    return published != null ? published : own;
                });
        worker.tracer(() -> {
            Tracer t = tracer;
            return t != null ? t : Tracer.NOOP;
        });
        worker.waits(() -> {
            CallWaits w = waits;
            return w != null ? w : CallWaits.NONE;
        });
        worker.claimLinger(Duration.ofNanos(Math.max(0, config.claimLingerMicros()) * 1000));
        LOG.info("function worker started: {} claiming thread(s), {} calls per claim", threads, batch);
    }

    private Optional<OrreryFunction> find(CallPort calls, String tenant, String name) {
        return calls.moduleFunction(tenant, name).or(() -> functions.find(tenant, name));
    }

    @Deactivate
    synchronized void deactivate() {
        config = null;
        restart();
    }
}
