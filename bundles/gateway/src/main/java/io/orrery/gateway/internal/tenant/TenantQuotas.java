package io.orrery.gateway.internal.tenant;

import io.orrery.api.tenant.Tenant;
import io.orrery.api.tenant.TenantQuota;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quotas from configuration: defaults under {@code quota.<limit>} and per-tenant overrides under
 * {@code quota.<tenant>.<limit>}, where limit is {@code maxBundleBytes}, {@code maxInstances},
 * {@code requestsPerSecond} or {@code burst}. A value that does not parse is reported and ignored, so one typo in
 * {@code etc/} does not take the API down.
 */
final class TenantQuotas {

    private static final Logger LOG = LoggerFactory.getLogger(TenantQuotas.class);
    private static final String PREFIX = "quota.";

    private final TenantQuota defaults;
    private final Map<String, TenantQuota> overrides;

    TenantQuotas(TenantQuota defaults, Map<String, TenantQuota> overrides) {
        this.defaults = defaults;
        this.overrides = Map.copyOf(overrides);
    }

    static TenantQuotas parse(TenantQuota defaults, Map<String, ?> properties) {
        Map<String, Map<String, Object>> perTenant = new HashMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(PREFIX) && key.indexOf('.', PREFIX.length()) > 0) {
                String tenant = key.substring(PREFIX.length(), key.lastIndexOf('.'));
                String limit = key.substring(key.lastIndexOf('.') + 1);
                if (Tenant.NAME.matcher(tenant).matches()) {
                    perTenant.computeIfAbsent(tenant, t -> new HashMap<>()).put(limit, value);
                }
            }
        });
        Map<String, TenantQuota> overrides = new HashMap<>();
        perTenant.forEach((tenant, limits) -> overrides.put(tenant, override(tenant, defaults, limits)));
        return new TenantQuotas(defaults, overrides);
    }

    /** The tenant's quota; the defaults for a null tenant (the administrators' own bucket). */
    TenantQuota of(String tenant) {
        return tenant == null ? defaults : overrides.getOrDefault(tenant, defaults);
    }

    TenantQuota defaults() {
        return defaults;
    }

    private static TenantQuota override(String tenant, TenantQuota base, Map<String, Object> limits) {
        return new TenantQuota(
                value(tenant, limits, "maxBundleBytes", base.maxBundleBytes(), Long::parseLong),
                value(tenant, limits, "maxInstances", base.maxInstances(), Long::parseLong),
                value(tenant, limits, "requestsPerSecond", base.requestsPerSecond(), Double::parseDouble),
                value(tenant, limits, "burst", base.burst(), Integer::parseInt));
    }

    private static <T extends Number> T value(String tenant, Map<String, Object> limits, String name, T fallback,
                                              Function<String, T> parse) {
        Object raw = limits.get(name);
        if (raw == null) {
            return fallback;
        }
        try {
            T parsed = parse.apply(raw.toString().trim());
            if (parsed.doubleValue() > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.warn("Ignoring quota.{}.{} = '{}': not a positive number; using {}", tenant, name, raw, fallback);
        return fallback;
    }
}
