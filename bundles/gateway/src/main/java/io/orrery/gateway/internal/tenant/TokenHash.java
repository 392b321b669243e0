package io.orrery.gateway.internal.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * How tokens are stored: SHA-256, in hex. Tokens carry 256 random bits, so a fast unsalted hash is enough (nothing
 * to brute-force, no dictionary to look up); what matters is that the store never holds a usable token.
 */
final class TokenHash {

    private static final HexFormat HEX = HexFormat.of();
    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");

    private TokenHash() {
    }

    static String of(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Compares two hashes in time independent of where they differ. */
    static boolean matches(String expectedHex, String actualHex) {
        return MessageDigest.isEqual(expectedHex.getBytes(StandardCharsets.US_ASCII),
                actualHex.getBytes(StandardCharsets.US_ASCII));
    }

    /** The public short id of a token: the first 8 hex digits of its hash. */
    static String idOf(String hash) {
        return hash.substring(0, 8);
    }

    /**
     * A configured hash: 64 hex digits, optionally prefixed {@code sha256:} (the form {@code sha256sum} prints is
     * accepted too, trailing file name and all). Returns null for an empty value.
     */
    static String parseConfigured(String configured) {
        if (configured == null || configured.isBlank()) {
            return null;
        }
        String value = configured.trim().toLowerCase();
        if (value.startsWith("sha256:")) {
            value = value.substring("sha256:".length());
        }
        value = value.split("\\s+")[0];
        if (!HEX_64.matcher(value).matches()) {
            throw new IllegalArgumentException("adminTokenHash: expected sha256:<64 hex digits>");
        }
        return value;
    }
}
