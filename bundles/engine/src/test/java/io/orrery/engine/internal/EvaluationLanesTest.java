package io.orrery.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.engine.EngineStoppedException;
import io.orrery.api.engine.InstanceId;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Lanes that close while events wait on them (the engine stopping, its bundle refreshed, its node restarted): whoever
 * waits for such an event hears that it was not run, rather than waiting for ever.
 */
class EvaluationLanesTest {

    private static final InstanceId ID = new InstanceId("acme", "wf", "k");

    @Test
    void anEventStillQueuedWhenTheLanesCloseFailsForItsCaller() throws Exception {
        EvaluationLanes lanes = new EvaluationLanes(1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        CompletableFuture<String> first = lanes.submit(ID, () -> {
            running.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            return "first";
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> queued = lanes.submit(ID, () -> "queued");
        CompletableFuture<Void> told = new CompletableFuture<>();
        lanes.execute(ID, EvaluationLanes.abandonable(() -> told.complete(null),
                () -> told.completeExceptionally(new IllegalStateException("abandoned"))));

        lanes.close();

        assertThat(queued).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(EngineStoppedException.class).withMessageContaining("was not run");
        assertThat(told).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                .withMessageContaining("abandoned");
        assertThat(first).failsWithin(Duration.ofSeconds(10)); // the running one was interrupted
    }

    @Test
    void anEventSentAfterTheLanesClosedIsRefusedAtOnce() {
        EvaluationLanes lanes = new EvaluationLanes(2);
        lanes.close();
        assertThatThrownBy(() -> lanes.submit(ID, () -> "late")).isInstanceOf(EngineStoppedException.class).hasMessageContaining("acme/wf/k");
    }
}
