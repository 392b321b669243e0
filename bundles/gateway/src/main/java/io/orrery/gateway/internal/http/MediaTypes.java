package io.orrery.gateway.internal.http;

import java.util.Set;
import org.apache.camel.support.http.RestUtil;

/**
 * Which request content types an endpoint takes; anything else is 415. A missing Content-Type is tolerated. The
 * matching is Camel's own, as its REST binding does it for {@code consumes} ({@link RestUtil}); the binding's
 * client request validation itself is not used, since it reads the body to check it before the bearer token is.
 */
public final class MediaTypes {

    public static final Set<String> ARCHIVES = Set.of("application/java-archive", "application/x-java-archive",
            "application/zip", "application/octet-stream");
    /** What the JSON endpoints declare they consume (the OpenAPI document says the same). */
    private static final String JSON = "application/json";
    private static final String ARCHIVE = String.join(",", ARCHIVES);

    private MediaTypes() {
    }

    public static void requireJson(String contentType) {
        if (!RestUtil.isValidOrAcceptedContentType(JSON, contentType)) {
            throw ApiProblem.unsupportedMediaType("application/json", ApiProblem.printable(contentType));
        }
    }

    public static void requireArchive(String contentType) {
        if (!RestUtil.isValidOrAcceptedContentType(ARCHIVE, contentType)) {
            throw ApiProblem.unsupportedMediaType("application/java-archive", ApiProblem.printable(contentType));
        }
    }
}
