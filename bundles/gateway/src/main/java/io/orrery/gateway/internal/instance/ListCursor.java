package io.orrery.gateway.internal.instance;

import io.orrery.gateway.internal.http.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code cursor} of a paged list: where the next page starts. Opaque so that the paging scheme can
 * change without breaking clients that only pass {@code next} back.
 */
final class ListCursor {

    private static final String PREFIX = "o:";

    private ListCursor() {
    }

    static String encode(int offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + offset).getBytes(StandardCharsets.US_ASCII));
    }

    static int decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (text.startsWith(PREFIX)) {
                int offset = Integer.parseInt(text.substring(PREFIX.length()));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below; NumberFormatException is an IllegalArgumentException
        }
        throw ApiProblem.badRequest("cursor", "not a cursor this API returned");
    }
}
