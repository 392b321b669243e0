package io.orrery.gateway.internal.http;

import io.orrery.api.tenant.Principal;
import io.orrery.api.tenant.TokenScope;
import java.util.Locale;
import java.util.Map;

/**
 * Which {@link TokenScope} each endpoint needs: reading (every GET) needs {@code read}; creating and retrying
 * instances {@code run}; uploading, dry-running and removing bundles {@code deploy}. A write this table does not
 * name needs {@code run}, so a read-only token never changes anything. A token without the scope gets 403 with
 * RFC 6750's {@code insufficient_scope}.
 */
public final class RequiredScope {

    private static final Map<String, TokenScope> WRITES = Map.of(
            "bundle-deploy", TokenScope.DEPLOY,
            "bundle-dry-run", TokenScope.DEPLOY,
            "bundle-undeploy", TokenScope.DEPLOY,
            "instance-create", TokenScope.RUN,
            "instance-retry", TokenScope.RUN);

    private RequiredScope() {
    }

    /** @param endpointId the endpoint's id ({@link EndpointSpec#id()}) */
    public static TokenScope of(String endpointId, String method) {
        String verb = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        if (verb.equals("GET") || verb.equals("HEAD")) {
            return TokenScope.READ;
        }
        return WRITES.getOrDefault(endpointId, TokenScope.RUN);
    }

    /** 403 unless the principal's token holds the scope the endpoint needs. */
    public static void check(Principal principal, String endpointId, String method) {
        TokenScope needed = of(endpointId, method);
        if (!principal.has(needed)) {
            throw new ApiProblem(403, "insufficient-scope", "Forbidden", "Authorization",
                    "this token lacks the '" + needed.label() + "' scope this request needs (it has: "
                            + TokenScope.format(principal.scopes()) + ")")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"orrery\", error=\"insufficient_scope\", scope=\""
                            + needed.label() + "\"");
        }
    }
}
