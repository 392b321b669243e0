package io.orrery.engine.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The re-evaluations of stored instances running on this node, each with the instances it has evaluated so far: a
 * deploy of a workflow with a million instances takes a while, and an operator can see how far it is
 * ({@link EngineCore#reevaluations()}, and the gauges {@code orrery.engine.reevaluation.running} and
 * {@code orrery.engine.reevaluation.evaluated}, the instances evaluated by the running ones).
 */
public final class ReevaluationProgress {

    /** One running re-evaluation. */
    public record Running(String tenant, String workflow, int version, long evaluated, Instant started) {
    }

    /** The counter of one re-evaluation; closing it ends the re-evaluation's entry. */
    final class Tally implements AutoCloseable {

        private final DeployedWorkflow wf;
        private final Instant started;
        private final AtomicLong evaluated = new AtomicLong();

        private Tally(DeployedWorkflow wf, Instant started) {
            this.wf = wf;
            this.started = started;
        }

        void evaluated() {
            evaluated.incrementAndGet();
        }

        long count() {
            return evaluated.get();
        }

        Running view() {
            return new Running(wf.tenant(), wf.name(), wf.version(), evaluated.get(), started);
        }

        @Override
        public void close() {
            running.remove(this);
        }
    }

    private final Map<Tally, Boolean> running = new ConcurrentHashMap<>();

    ReevaluationProgress(MeterRegistry meters) {
        Gauge.builder("orrery.engine.reevaluation.running", running, Map::size)
                .description("re-evaluations of stored instances running on this node").register(meters);
        Gauge.builder("orrery.engine.reevaluation.evaluated", this,
                        p -> p.running.keySet().stream().mapToLong(Tally::count).sum())
                .description("instances evaluated so far by the re-evaluations running on this node")
                .register(meters);
    }

    Tally start(DeployedWorkflow wf, Instant now) {
        Tally t = new Tally(wf, now);
        running.put(t, Boolean.TRUE);
        return t;
    }

    /** The running re-evaluations, oldest first. */
    public List<Running> running() {
        return running.keySet().stream().map(Tally::view).sorted(Comparator.comparing(Running::started)).toList();
    }
}
