package io.orrery.camel.internal;

import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * TO MOVE INTO bundles/camel: what {@code CamelRuntime.createContext} should add so that nothing a client sends
 * produces a 500 from Camel's HTTP layer, and no request body can exhaust memory:
 * <ul>
 *   <li>{@code httpBinding=#orreryRestBinding}: {@link GuardedRestHttpBinding} records parse failures for the
 *       route to answer (400, or 413 past the cap) instead of Camel's 500;</li>
 *   <li>{@code handlers=#orreryRequestGuard}: {@link RequestGuard}, a cap on every request body
 *       ({@value #MAX_REQUEST_BYTES} bytes here; the lead may make it {@code maxRequestBytes} in
 *       {@code io.orrery.api}) and a 400 for unknown charsets;</li>
 *   <li>{@code mapHttpMessageFormUrlEncodedBody=false}: form bodies are not parsed into headers;</li>
 *   <li>stream caching spools bodies over {@value #SPOOL_THRESHOLD} bytes to disk, so the bodies Camel reads
 *       before any route runs cost little heap.</li>
 * </ul>
 * Until then the gateway's tests apply it themselves ({@link #applyIfMissing}), before the context starts.
 */
public final class RuntimeHardening {

    static final long MAX_REQUEST_BYTES = 64L * 1024 * 1024;
    static final long SPOOL_THRESHOLD = 256L * 1024;

    private RuntimeHardening() {
    }

    public static void applyIfMissing(CamelContext camel) {
        Map<String, Object> existing = camel.getRestConfiguration().getEndpointProperties();
        if (existing != null && existing.containsKey("httpBinding")) {
            return;
        }
        camel.getRegistry().bind("orreryRestBinding", new GuardedRestHttpBinding());
        camel.getRegistry().bind("orreryRequestGuard", new RequestGuard(MAX_REQUEST_BYTES));
        Map<String, Object> properties = new HashMap<>(existing == null ? Map.of() : existing);
        properties.put("httpBinding", "#orreryRestBinding");
        properties.put("handlers", "#orreryRequestGuard");
        properties.put("mapHttpMessageFormUrlEncodedBody", "false");
        camel.getRestConfiguration().setEndpointProperties(properties);
        camel.getStreamCachingStrategy().setSpoolEnabled(true);
        camel.getStreamCachingStrategy().setSpoolThreshold(SPOOL_THRESHOLD);
    }
}
