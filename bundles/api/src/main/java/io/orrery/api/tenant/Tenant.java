package io.orrery.api.tenant;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tenant: a name that scopes workflows, instances, functions and queues, and owns API tokens.
 *
 * @param tokens how many API tokens are valid for the tenant
 */
public record Tenant(String name, Instant createdAt, int tokens) {

    /** Lowercase letters, digits and dashes, starting with a letter: safe in URLs, queue names and SQL. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    public Tenant {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Throws {@link IllegalArgumentException} naming the rule when {@code name} cannot be a tenant's name. */
    public static String requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tenant: '" + name + "' is not a valid name (1 to 63 characters: "
                    + "lowercase letters, digits and '-', starting with a letter)");
        }
        return name;
    }
}
