package io.orrery.camel.internal;

import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * What the node's REST endpoints need so that nothing a client sends produces a 500 from Camel's HTTP layer, and
 * no request body can exhaust memory:
 * <ul>
 *   <li>{@code httpBinding=#orreryRestBinding}: {@link GuardedRestHttpBinding} records parse failures (bad escapes,
 *       short bodies, form and multipart bodies) for the route to answer 400, or 413 past the cap, instead of
 *       Camel's 500;</li>
 *   <li>{@code handlers=#orreryRequestGuard,#orreryForwardedHeaders,#orreryProblemAnswers}: {@link RequestGuard},
 *       a cap on every request body and a 400 for unknown charsets; {@link ForwardedHeaders}, forwarded headers only
 *       from trusted proxies; {@link ProblemAnswers}, problem documents for what Jetty and Camel's servlet refuse;</li>
 *   <li>{@code sendServerVersion=false}: no {@code Server} header naming Jetty's version;</li>
 *   <li>{@code mapHttpMessageFormUrlEncodedBody=false}: form bodies are not parsed into headers;</li>
 *   <li>{@code disableStreamCache=true}: the body reaches the route as the request's own stream, unread, so a
 *       request is authenticated before its body is read (a bad token on a 60 MiB upload is refused at once, not
 *       after the upload was spooled);</li>
 *   <li>{@code continuationTimeout}: parked long-polls ({@code ?wait=}) outlive Jetty's default 30 s;</li>
 *   <li>stream caching spools bodies over {@value #SPOOL_THRESHOLD} bytes to disk.</li>
 * </ul>
 */
public final class RequestHardening {

    static final long MAX_REQUEST_BYTES = 64L * 1024 * 1024;
    static final long SPOOL_THRESHOLD = 256L * 1024;

    private RequestHardening() {
    }

    /** Long enough for the longest {@code ?wait=} the gateway allows (60 s) plus its answer. */
    static final long CONTINUATION_TIMEOUT_MS = 65_000;

    static void apply(CamelContext camel, String trustedProxies) {
        Map<String, Object> existing = camel.getRestConfiguration().getEndpointProperties();
        camel.getRegistry().bind("orreryRestBinding", new GuardedRestHttpBinding());
        camel.getRegistry().bind("orreryRequestGuard", new RequestGuard(MAX_REQUEST_BYTES));
        camel.getRegistry().bind("orreryForwardedHeaders", new ForwardedHeaders(trustedProxies));
        camel.getRegistry().bind("orreryProblemAnswers", new ProblemAnswers());
        Map<String, Object> properties = new HashMap<>(existing == null ? Map.of() : existing);
        properties.put("httpBinding", "#orreryRestBinding");
        // Each handler wraps the ones before it: problem answers outermost, then the proxy check, then the cap.
        properties.put("handlers", "#orreryRequestGuard,#orreryForwardedHeaders,#orreryProblemAnswers");
        properties.put("sendServerVersion", "false");
        properties.put("mapHttpMessageFormUrlEncodedBody", "false");
        properties.put("disableStreamCache", "true");
        properties.put("continuationTimeout", String.valueOf(CONTINUATION_TIMEOUT_MS));
        camel.getRestConfiguration().setEndpointProperties(properties);
        camel.getStreamCachingStrategy().setSpoolEnabled(true);
        camel.getStreamCachingStrategy().setSpoolThreshold(SPOOL_THRESHOLD);
    }
}
