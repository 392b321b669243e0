package io.orrery.gateway.internal.tenant;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Makes API tokens: {@code orr_} and 32 random bytes in URL-safe base64 (43 characters). The prefix lets secret
 * scanners and people recognise an Orrery token.
 */
final class TokenMint {

    static final String PREFIX = "orr_";
    private static final int RANDOM_BYTES = 32;
    /** Anything that cannot be a token is refused before it is hashed or looked up. */
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{16,256}");

    private final SecureRandom random = new SecureRandom();

    String newToken() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static boolean looksLikeToken(String candidate) {
        return candidate != null && SHAPE.matcher(candidate).matches();
    }
}
