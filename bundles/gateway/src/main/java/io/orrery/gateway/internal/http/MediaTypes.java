package io.orrery.gateway.internal.http;

import java.util.Locale;
import java.util.Set;

/** Which request content types an endpoint takes; anything else is 415. A missing Content-Type is tolerated. */
public final class MediaTypes {

    public static final Set<String> ARCHIVES = Set.of("application/java-archive", "application/x-java-archive",
            "application/zip", "application/octet-stream");

    private MediaTypes() {
    }

    public static void requireJson(String contentType) {
        String type = essence(contentType);
        if (type != null && !type.equals("application/json") && !type.endsWith("+json")) {
            throw ApiProblem.unsupportedMediaType("application/json", ApiProblem.printable(contentType));
        }
    }

    public static void requireArchive(String contentType) {
        String type = essence(contentType);
        if (type != null && !ARCHIVES.contains(type)) {
            throw ApiProblem.unsupportedMediaType("application/java-archive", ApiProblem.printable(contentType));
        }
    }

    /** The type/subtype without parameters, lower case; null when absent. */
    private static String essence(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
