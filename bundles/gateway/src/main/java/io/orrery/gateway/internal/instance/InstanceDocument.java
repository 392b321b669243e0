package io.orrery.gateway.internal.instance;

import io.orrery.api.engine.Firing;
import io.orrery.api.engine.InstanceView;
import io.orrery.api.engine.PendingCall;
import io.orrery.gateway.schema.InstanceDetail;
import io.orrery.gateway.schema.InstanceSummary;
import java.time.Instant;
import java.util.List;

/** An engine's instance view in the API's shapes: in full for {@code GET .../instances/{key}}, summed up for lists. */
final class InstanceDocument {

    private InstanceDocument() {
    }

    static InstanceDetail full(InstanceView view) {
        return new InstanceDetail(view.id().tenant(), view.id().workflow(), view.id().key(), view.version(),
                view.status().name(), view.completed(), view.failure(), time(view.updatedAt()), view.input(),
                view.state(), view.output(),
                view.pending() == null ? List.of() : view.pending().stream().map(InstanceDocument::pending).toList(),
                view.recentFirings() == null ? List.of() : view.recentFirings().stream().map(InstanceDocument::firing).toList(),
                view.traceId(), time(view.createdAt()));
    }

    static InstanceSummary summary(InstanceView view) {
        return new InstanceSummary(view.id().tenant(), view.id().workflow(), view.id().key(), view.version(),
                view.status().name(), view.completed(), view.failure(), time(view.updatedAt()));
    }

    private static InstanceDetail.PendingCall pending(PendingCall call) {
        return new InstanceDetail.PendingCall(call.callId(), call.rule(), call.request().kind().name(),
                call.request().target(), call.request().key(), call.request().priority(), time(call.madeAt()));
    }

    private static InstanceDetail.Firing firing(Firing firing) {
        return new InstanceDetail.Firing(firing.rule(), firing.kind().name(), firing.version(), time(firing.at()),
                firing.calls(), firing.callKey());
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
