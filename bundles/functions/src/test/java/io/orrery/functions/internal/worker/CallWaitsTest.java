package io.orrery.functions.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.function.OrreryFunction;
import io.orrery.api.queue.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker telling each call's queue wait as the call starts: what the function hosts follow. */
class CallWaitsTest {

    record Told(String tenant, String function, Duration waited) {
    }

    final QueuedInbox inbox = new QueuedInbox();
    final List<CallResult> results = new CopyOnWriteArrayList<>();
    final List<Told> told = new CopyOnWriteArrayList<>();
    FunctionWorker worker;

    @AfterEach
    void stop() {
        worker.close();
    }

    static OutboundCall call(String tenant, String id) {
        return new OutboundCall(new InstanceId(tenant, "wf", id), id, "rule", CallKind.FUNCTION, "stamp",
                Map.of("id", id), null, 5, 10_000, 1, null, 0, null);
    }

    FunctionWorker worker(CallWaits waits) {
        OrreryFunction stamp = new OrreryFunction() {
            @Override
            public String name() {
                return "stamp";
            }

            @Override
            public Map<String, Object> apply(Map<String, Object> args) {
                return Map.of("id", args.get("id"));
            }
        };
        worker = new FunctionWorker(inbox, (t, n) -> Optional.of(stamp), results::addAll, 1, 1, Backoff.defaults());
        worker.waits(() -> waits);
        return worker;
    }

    @Test
    void eachStartedCallTellsItsTenantFunctionAndWaitSinceItBecameAvailable() {
        worker(((tenant, function, wait) -> told.add(new Told(tenant, function, wait))));
        inbox.add(call("acme", "old"), Instant.now().minusSeconds(3));
        inbox.add(call("beta", "fresh"), Instant.now());

        await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 2);

        assertThat(told).hasSize(2);
        assertThat(told.get(0).tenant()).isEqualTo("acme");
        assertThat(told.get(0).function()).isEqualTo("stamp");
        assertThat(told.get(0).waited()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(8));
        assertThat(told.get(1).tenant()).isEqualTo("beta");
        assertThat(told.get(1).waited()).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aCallWithoutAKnownEnqueueTimeTellsNothingAndAFailingListenerFailsNoCall() {
        worker((tenant, function, wait) -> {
            told.add(new Told(tenant, function, wait));
            throw new IllegalStateException("listener broke");
        });
        inbox.add(call("acme", "unknown"), null);
        inbox.add(call("acme", "known"), Instant.now().minusSeconds(1));

        await().atMost(Duration.ofSeconds(10)).until(() -> results.size() == 2);

        assertThat(results).allMatch(r -> r.error() == null, "both calls succeeded");
        assertThat(told).extracting(Told::tenant).containsExactly("acme");
    }
}
