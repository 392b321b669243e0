package io.orrery.gateway.internal.http;

import io.orrery.api.tenant.Principal;
import io.orrery.api.tenant.TenantDirectory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * {@code Authorization: Bearer <token>} (RFC 6750): who the caller is, or 401 with a challenge. Failed attempts are
 * counted cluster-wide ({@link ClusterBuckets}) per client address and per presented token prefix; once either
 * has failed {@link FailureLimit#burst()} times (configured in {@code io.orrery.api}), failures from it are answered
 * 429 with {@code Retry-After} instead of 401, until the bucket refills. A throttled prefix is refused before its
 * token is looked up. A throttled address is not: many clients can share one (a NAT, a load balancer not listed as a
 * trusted proxy), and another client's failures must not lock out a valid token, so the token is still looked up
 * (a hash and an indexed read, what every request with a valid token costs) and a valid one accepted. Guessing
 * from that address gains nothing: a token is 256 random bits, and wrong ones are refused with 429 without counting.
 */
public final class BearerAuthentication {

    /** How many failures a client address (or a token prefix) may have before it is throttled, and how fast it recovers. */
    public record FailureLimit(double perSecond, long burst) {
        /** Ten failures at once, then one every six seconds. */
        public static final FailureLimit DEFAULT = new FailureLimit(1.0 / 6, 10);

        /**
         * From configuration ({@code auth.failuresPerMinute}, {@code auth.failureBurst}); a value that is not
         * positive would throttle every client for ever (or never), so it falls back to the default's.
         */
        public static FailureLimit of(double perMinute, long burst) {
            return new FailureLimit(perMinute > 0 && Double.isFinite(perMinute) ? perMinute / 60 : DEFAULT.perSecond(),
                    burst > 0 ? burst : DEFAULT.burst());
        }
    }

    private static final String SCHEME = "Bearer ";
    private static final String CHALLENGE = "Bearer realm=\"orrery\"";
    private static final int PREFIX_LENGTH = 12;

    private final TenantDirectory directory;
    private final ClusterBuckets failures;
    private final FailureLimit limit;

    /** Without throttling of failures. */
    public BearerAuthentication(TenantDirectory directory) {
        this(directory, null, FailureLimit.DEFAULT);
    }

    public BearerAuthentication(TenantDirectory directory, ClusterBuckets failures, FailureLimit limit) {
        this.directory = directory;
        this.failures = failures;
        this.limit = limit;
    }

    /** @param authorization the header's value; null when absent */
    public Principal authenticate(String authorization) {
        return authenticate(authorization, null);
    }

    /**
     * @param authorization the header's value; null when absent
     * @param clientAddress the caller's address as the server sees it (after trusted proxies); null when unknown
     */
    public Principal authenticate(String authorization, String clientAddress) {
        String addressKey = clientAddress == null ? null : "auth-failures:address:" + clientAddress;
        // Read now, enforced on failure only: a valid token passes a throttled address.
        ApiProblem addressThrottled = throttled(addressKey, "this address");
        if (authorization == null || authorization.isBlank()) {
            throw failed(addressKey, addressThrottled, null, ApiProblem.unauthorized("an Authorization: Bearer <token> "
                    + "header is required").withHeader("WWW-Authenticate", CHALLENGE));
        }
        if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw failed(addressKey, addressThrottled, null, ApiProblem.unauthorized("the Authorization header must use "
                    + "the Bearer scheme").withHeader("WWW-Authenticate", CHALLENGE));
        }
        String token = authorization.substring(SCHEME.length()).trim();
        String prefixKey = "auth-failures:token:" + prefixDigest(token);
        ApiProblem prefixThrottled = throttled(prefixKey, "this token");
        if (prefixThrottled != null) {
            throw prefixThrottled;
        }
        Optional<Principal> principal = directory.authenticate(token);
        if (principal.isEmpty()) {
            throw failed(addressKey, addressThrottled, prefixKey, ApiProblem.unauthorized("the token is not valid "
                    + "(unknown, revoked or expired)").withHeader("WWW-Authenticate", CHALLENGE
                    + ", error=\"invalid_token\""));
        }
        return principal.get();
    }

    /** The 429 for a key that has failed its burst; null when it may still fail, or nothing is counted. */
    private ApiProblem throttled(String key, String what) {
        if (key == null || failures == null) {
            return null;
        }
        long waitNanos = failures.waitFor(key, limit.perSecond(), limit.burst());
        return waitNanos <= 0 ? null : ApiProblem.tooManyRequests(seconds(waitNanos), "too many failed "
                + "authentications from " + what + "; retry later");
    }

    /** A failure from a throttled address is its 429, not counted again; any other is counted, and answered 401. */
    private ApiProblem failed(String addressKey, ApiProblem addressThrottled, String prefixKey, ApiProblem problem) {
        if (addressThrottled != null) {
            return addressThrottled;
        }
        if (failures != null) {
            for (String key : new String[] {addressKey, prefixKey}) {
                if (key != null) {
                    failures.take(key, limit.perSecond(), limit.burst());
                }
            }
        }
        return problem;
    }

    /** The bucket of a presented token's prefix is keyed by a digest, so no part of a secret sits in the grid. */
    private static String prefixDigest(String token) {
        String prefix = token.length() > PREFIX_LENGTH ? token.substring(0, PREFIX_LENGTH) : token;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(prefix.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static long seconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
