package io.orrery.gateway.internal.instance;

import io.orrery.gateway.internal.http.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code cursor} of a paged list: where the next page starts. Opaque so that the paging scheme can
 * change without breaking clients that only pass {@code next} back.
 */
final class ListCursor {

    private static final String PREFIX = "k:";

    private ListCursor() {
    }

    /** The cursor of the page after the one whose last instance has this key. */
    static String after(String key) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + key).getBytes(StandardCharsets.UTF_8));
    }

    /** The key the page starts after; null for the first page. */
    static String decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX) && Names.isKey(text.substring(PREFIX.length()))) {
                return text.substring(PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ApiProblem.badRequest("cursor", "not a cursor this API returned");
    }
}
