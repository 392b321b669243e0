package io.orrery.gateway.internal.http;

import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.component.jetty.JettyHttpComponent;

/**
 * How long a long-poll may wait. camel-jetty parks a waiting request as a servlet async context that expires after
 * its {@code continuationTimeout} (Jetty's default: 30 s) with an error answer, so the gateway never waits longer
 * than that, less a margin to write the answer.
 */
public final class LongPollLimit {

    private static final long JETTY_DEFAULT_MS = 30_000;
    private static final long MARGIN_MS = 2_000;

    private LongPollLimit() {
    }

    public static Duration cap(CamelContext camel, Duration configured) {
        Component component = camel.getComponent("jetty");
        Long timeout = component instanceof JettyHttpComponent jetty ? jetty.getContinuationTimeout() : null;
        if (timeout != null && timeout <= 0) {
            return configured;
        }
        long limit = Math.max(0, (timeout == null ? JETTY_DEFAULT_MS : timeout) - MARGIN_MS);
        return configured.toMillis() > limit ? Duration.ofMillis(limit) : configured;
    }
}
