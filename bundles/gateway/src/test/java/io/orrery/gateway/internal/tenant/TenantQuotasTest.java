package io.orrery.gateway.internal.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.tenant.TenantQuota;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantQuotasTest {

    private static final TenantQuota DEFAULTS = new TenantQuota(1000, 10, 5, 10);

    @Test
    void aTenantOverridesSomeLimitsAndKeepsTheDefaultsOfTheOthers() {
        TenantQuotas quotas = TenantQuotas.parse(DEFAULTS, Map.of(
                "quota.maxInstances", "10", "quota.acme.requestsPerSecond", "200", "quota.acme.burst", 400,
                "quota.big-co.maxBundleBytes", "52428800", "port", "8181"));

        assertThat(quotas.of("acme")).isEqualTo(new TenantQuota(1000, 10, 200, 400));
        assertThat(quotas.of("big-co").maxBundleBytes()).isEqualTo(52_428_800L);
        assertThat(quotas.of("other")).isEqualTo(DEFAULTS);
    }

    @Test
    void ignoresValuesThatAreNotPositiveNumbers() {
        TenantQuotas quotas = TenantQuotas.parse(DEFAULTS, Map.of(
                "quota.acme.burst", "lots", "quota.acme.maxInstances", "-3", "quota.acme.requestsPerSecond", "0.5"));

        assertThat(quotas.of("acme")).isEqualTo(new TenantQuota(1000, 10, 0.5, 10));
    }
}
