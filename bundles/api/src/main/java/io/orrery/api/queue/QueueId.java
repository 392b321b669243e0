package io.orrery.api.queue;

import java.util.Objects;

/**
 * A queue's identity: the tenant that owns it and its name within the tenant. Names are made of letters, digits
 * and {@code . _ -}, so they are safe in metric tags, shell arguments and Hazelcast structure names.
 *
 * <p>In a claim, the tenant {@link #ANY_TENANT} ({@code *}) stands for every tenant that has a queue of that name,
 * which is how a worker pool serving all tenants asks for work (see {@link ClaimRequest}).
 */
public record QueueId(String tenant, String name) implements Comparable<QueueId> {

    public static final String ANY_TENANT = "*";

    public QueueId {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(name, "name");
        if (!tenant.equals(ANY_TENANT) && !isName(tenant)) {
            throw new IllegalArgumentException("tenant: invalid name '" + tenant + "'");
        }
        if (!isName(name)) {
            throw new IllegalArgumentException("queue: invalid name '" + name + "'");
        }
    }

    /** Letters, digits and {@code . _ -}, 1 to 120 of them (checked by hand: this runs for every message). */
    static boolean isName(String s) {
        int n = s.length();
        if (n == 0 || n > 120) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public static QueueId of(String tenant, String name) {
        return new QueueId(tenant, name);
    }

    /** The queue of this name in every tenant; only meaningful in a {@link ClaimRequest}. */
    public static QueueId anyTenant(String name) {
        return new QueueId(ANY_TENANT, name);
    }

    /** Parses {@code tenant/name}, the form {@link #toString()} prints and the shell accepts. */
    public static QueueId parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("queue: expected <tenant>/<name>, got '" + text + "'");
        }
        return new QueueId(text.substring(0, slash), text.substring(slash + 1));
    }

    public boolean isAnyTenant() {
        return tenant.equals(ANY_TENANT);
    }

    /** Whether this id, possibly a wildcard, selects the given concrete queue. */
    public boolean matches(QueueId queue) {
        return name.equals(queue.name) && (isAnyTenant() || tenant.equals(queue.tenant));
    }

    @Override
    public int compareTo(QueueId o) {
        int c = tenant.compareTo(o.tenant);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return tenant + "/" + name;
    }
}
