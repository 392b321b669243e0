package io.orrery.gateway.internal.http;

import io.orrery.api.tenant.Principal;
import io.orrery.api.tenant.TenantDirectory;

/** {@code Authorization: Bearer <token>} (RFC 6750): who the caller is, or 401 with a challenge. */
public final class BearerAuthentication {

    private static final String SCHEME = "Bearer ";
    private static final String CHALLENGE = "Bearer realm=\"orrery\"";

    private final TenantDirectory directory;

    public BearerAuthentication(TenantDirectory directory) {
        this.directory = directory;
    }

    /** @param authorization the header's value; null when absent */
    public Principal authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiProblem.unauthorized("an Authorization: Bearer <token> header is required")
                    .withHeader("WWW-Authenticate", CHALLENGE);
        }
        if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw ApiProblem.unauthorized("the Authorization header must use the Bearer scheme")
                    .withHeader("WWW-Authenticate", CHALLENGE);
        }
        String token = authorization.substring(SCHEME.length()).trim();
        return directory.authenticate(token).orElseThrow(() -> ApiProblem.unauthorized("the token is not valid")
                .withHeader("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\""));
    }
}
