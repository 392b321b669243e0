package io.orrery.trace.internal.span;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * Spans sent on to an OpenTelemetry collector over OTLP/HTTP (protobuf), besides being kept by Orrery: batched
 * off the recording threads by the SDK's {@link BatchSpanProcessor}, which drops (and counts) what a slow or absent
 * collector leaves queued rather than holding up the node. Sent with the JDK's HttpClient; the sender is found
 * through this bundle's class loader, where it is embedded.
 */
public final class OtlpExport {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private OtlpExport() {
    }

    /**
     * Adds export to {@code endpoint} (the full URL of the collector's traces resource, as
     * {@code http://collector:4318/v1/traces}); an empty endpoint adds nothing.
     *
     * @throws IllegalArgumentException naming the setting, when the endpoint is not an http or https URL
     */
    public static SdkTracerProviderBuilder to(String endpoint, SdkTracerProviderBuilder builder) {
        String url = endpoint == null ? "" : endpoint.strip();
        if (url.isEmpty()) {
            return builder;
        }
        check(url);
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(url).setTimeout(TIMEOUT)
                .setServiceClassLoader(OtlpExport.class.getClassLoader()).build();
        return builder.addSpanProcessor(BatchSpanProcessor.builder(exporter).build());
    }

    private static void check(String url) {
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("otlpEndpoint: not an http(s) URL with a host: '" + url + "'");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("otlpEndpoint: not a URL: '" + url + "' (" + e.getReason() + ")", e);
        }
    }
}
