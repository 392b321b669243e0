package io.orrery.api.tenant;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a token may do. {@code read} sees (every GET); {@code run} creates and retries instances; {@code deploy}
 * uploads, dry-runs and removes bundles. A token holds any combination; one issued without naming scopes holds all.
 */
public enum TokenScope {
    DEPLOY, RUN, READ;

    /** Every scope: what a token issued without naming scopes holds. */
    public static Set<TokenScope> all() {
        return EnumSet.allOf(TokenScope.class);
    }

    /** The scope's name as configured and shown: lowercase. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code deploy,run,read} (any order, any case, blanks ignored). Throws {@link IllegalArgumentException}
     * naming the unknown scope, or when none is given.
     */
    public static Set<TokenScope> parse(String list) {
        Set<TokenScope> scopes = EnumSet.noneOf(TokenScope.class);
        for (String part : (list == null ? "" : list).split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            try {
                scopes.add(valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("scope: unknown scope '" + name + "' (deploy, run, read)", e);
            }
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("scope: name at least one of deploy, run, read");
        }
        return scopes;
    }

    /** {@code deploy,run,read} order, lowercase, comma-separated: the stored and printed form. */
    public static String format(Set<TokenScope> scopes) {
        StringBuilder text = new StringBuilder();
        for (TokenScope scope : values()) {
            if (scopes.contains(scope)) {
                text.append(text.length() == 0 ? "" : ",").append(scope.label());
            }
        }
        return text.toString();
    }
}
