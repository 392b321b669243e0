package io.orrery.benchmarks.engine;

import io.orrery.api.function.OrreryFunction;
import io.orrery.api.queue.Backoff;
import io.orrery.engine.internal.node.EngineNode;
import io.orrery.functions.internal.worker.FixedSlots;
import io.orrery.functions.internal.worker.FunctionWorker;
import java.util.Optional;

/**
 * The function worker a node runs beside its engine in the distribution (the {@code orrery-functions} bundle's), on
 * the node's call port: the module functions first, then {@code function} for every name; slots of its own, as
 * without resource pools, and the engine's tracer for its call spans.
 */
final class NodeWorker {

    private NodeWorker() {
    }

    static FunctionWorker start(EngineNode node, OrreryFunction function, int threads, int batch) {
        var port = node.callPort();
        var worker = new FunctionWorker(port, (t, f) -> port.moduleFunction(t, f).or(() -> Optional.of(function)),
                port::deliver, threads, batch, Backoff.defaults(), port.node(),
                () -> new FixedSlots(threads, threads * batch));
        worker.tracer(() -> node.engine().metrics().tracer());
        worker.claimLinger(EngineNode.Options.defaults().claimLinger());
        return worker;
    }
}
