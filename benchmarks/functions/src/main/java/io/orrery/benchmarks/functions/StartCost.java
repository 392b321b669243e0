package io.orrery.benchmarks.functions;

import io.orrery.api.function.BatchOutcome;
import io.orrery.api.function.OrreryFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A function with a fixed cost per invocation (starting a binary, opening a session), taken as a sleep of
 * {@code startMillis}, and next to nothing per call: one {@link #applyBatch} pays the start once for all its calls.
 */
final class StartCost implements OrreryFunction {

    private final long startMillis;
    private final int batchSize;

    StartCost(long startMillis, int batchSize) {
        this.startMillis = startMillis;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return "bench.start-cost";
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> args) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(startMillis);
        return Map.of("n", args.get("n"));
    }

    @Override
    public List<BatchOutcome> applyBatch(List<Map<String, Object>> calls) {
        try {
            TimeUnit.MILLISECONDS.sleep(startMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return calls.stream().map(c -> BatchOutcome.failure(e)).toList();
        }
        List<BatchOutcome> out = new ArrayList<>(calls.size());
        calls.forEach(c -> out.add(BatchOutcome.success(Map.of("n", c.get("n")))));
        return out;
    }
}
