package io.orrery.functions.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.CallStart;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.queue.Backoff;
import io.orrery.engine.internal.MemoryCallPort;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Timeouts of functions that end on interrupt, run on the caller's thread. */
class InterruptAlarmTest {

    private final InterruptAlarm alarm = new InterruptAlarm(new ScheduledThreadPoolExecutor(1));

    @AfterEach
    void stop() {
        alarm.close();
    }

    @Test
    void workEndingInTimeAnswersAndLeavesNoAlarmNorInterruptBehind() throws Exception {
        for (int i = 0; i < 1000; i++) {
            int n = i;
            assertThat(alarm.run(60_000, "quick", () -> n)).isEqualTo(n);
        }

        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        ScheduledThreadPoolExecutor alarms = alarmsOf();
        assertThat(alarms.getQueue()).as("cancelled alarms are taken out").isEmpty();
    }

    private ScheduledThreadPoolExecutor alarmsOf() throws Exception {
        var field = InterruptAlarm.class.getDeclaredField("alarms");
        field.setAccessible(true);
        return (ScheduledThreadPoolExecutor) field.get(alarm);
    }

    @Test
    void workOutlivingItsTimeoutIsInterruptedAndTimesOutAndTheThreadIsCleanAfterwards() throws Exception {
        long began = System.nanoTime();

        assertThatThrownBy(() -> alarm.run(100, "sleepy", () -> {
            Thread.sleep(10_000);
            return 1;
        })).isInstanceOf(TimeoutException.class).hasMessage("sleepy timed out after 100 ms");

        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(alarm.run(60_000, "next", () -> "fine")).isEqualTo("fine");
    }

    @Test
    void workThatSwallowsTheInterruptAndAnswersLateStillTimesOut() {
        assertThatThrownBy(() -> alarm.run(50, "stubborn", () -> {
            long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
            while (System.nanoTime() < until) {
                Thread.interrupted(); // ignores it
                Thread.onSpinWait();
            }
            return "late";
        })).isInstanceOf(TimeoutException.class).hasMessageContaining("timed out after 50 ms");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void theWorkerRunsAFunctionEndingOnInterruptUnderItsTimeoutAndItsSlotThreadCarriesOn() {
        MemoryCallPort port = new MemoryCallPort(Clock.systemUTC());
        List<CallResult> results = new CopyOnWriteArrayList<>();
        List<Boolean> interruptedAtStart = new CopyOnWriteArrayList<>();
        OrreryFunction f = new OrreryFunction() {
            @Override
            public String name() {
                return "wait";
            }

            @Override
            public boolean endsOnInterrupt() {
                return true;
            }

            @Override
            public Map<String, Object> apply(Map<String, Object> args) throws Exception {
                interruptedAtStart.add(Thread.currentThread().isInterrupted());
                Thread.sleep(((Number) args.get("ms")).longValue());
                return Map.of("slept", args.get("ms"));
            }
        };
        port.dispatch(List.of(call("long", 5_000, 200)));
        try (var w = new FunctionWorker(port, (t, n) -> Optional.of(f), results::addAll, 1, 1,
                Backoff.defaults(), "alarm-test", () -> new FixedSlots(1, 4))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> results.size() == 1);
            port.dispatch(List.of(call("short", 10, 10_000)));
            await().atMost(Duration.ofSeconds(5)).until(() -> results.size() == 2);
        }

        assertThat(results.get(0).error()).contains("wait timed out after 200 ms");
        assertThat(results.get(1).failed()).isFalse();
        assertThat(results.get(1).result()).containsEntry("slept", 10L);
        assertThat(interruptedAtStart).containsExactly(false, false);
    }

    /** On the slot's own thread too, a call's reported start reaches its span and does not outlive it. */
    @Test
    void aFunctionEndingOnInterruptReportsHowItsCallBeganAndTheNextCallStartsClean() {
        MemoryCallPort port = new MemoryCallPort(Clock.systemUTC());
        CallSpanLog spans = new CallSpanLog();
        OrreryFunction f = new OrreryFunction() {
            @Override
            public String name() {
                return "wait";
            }

            @Override
            public boolean endsOnInterrupt() {
                return true;
            }

            @Override
            public Map<String, Object> apply(Map<String, Object> args) {
                if (((Number) args.get("ms")).longValue() == 1) {
                    CallStart.report(CallStart.COLD);
                }
                return Map.of();
            }
        };
        try (var w = new FunctionWorker(port, (t, n) -> Optional.of(f), r -> { }, 1, 1, Backoff.defaults(),
                "alarm-test", () -> new FixedSlots(1, 1))) {
            w.tracer(() -> spans);
            port.dispatch(List.of(traced("first", 1)));
            await().atMost(Duration.ofSeconds(5)).until(() -> spans.size() == 1);
            port.dispatch(List.of(traced("second", 2)));
            await().atMost(Duration.ofSeconds(5)).until(() -> spans.size() == 2);
        }

        assertThat(spans.attribute("first", "orrery.start")).isEqualTo("cold");
        assertThat(spans.attribute("second", "orrery.start")).isEqualTo("in-server");
    }

    private static OutboundCall traced(String key, long ms) {
        return new OutboundCall(new InstanceId("acme", "wf", key), "c", "rule", CallKind.FUNCTION, "wait",
                Map.of("ms", ms), null, 5, 10_000, 1, null, 0, "0af7651916cd43dd8448eb211c80319c");
    }

    private static OutboundCall call(String key, long sleepMs, long timeoutMs) {
        return new OutboundCall(new InstanceId("acme", "wf", key), "c", "rule", CallKind.FUNCTION, "wait",
                Map.of("ms", sleepMs), null, 5, timeoutMs, 1, null, 0, null);
    }
}
