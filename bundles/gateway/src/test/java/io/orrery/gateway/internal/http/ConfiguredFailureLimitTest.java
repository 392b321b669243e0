package io.orrery.gateway.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.gateway.internal.GatewayConfig;
import io.orrery.gateway.internal.GatewayFixture;
import io.orrery.gateway.internal.GatewaySettings;
import java.lang.reflect.Proxy;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Failed-login throttling is configuration in {@code io.orrery.api}: {@code auth.failureBurst} and
 * {@code auth.failuresPerMinute}.
 */
class ConfiguredFailureLimitTest {

    @Test
    void theConfiguredBurstIsWhatAClientMayFailBeforeItIsThrottled() throws Exception {
        GatewaySettings settings = GatewaySettings.of(config(Map.of("auth_failureBurst", 2,
                "auth_failuresPerMinute", 6.0))).withMaxBodyBytes(16 * 1024);
        assertThat(settings.failureLimit()).isEqualTo(new BearerAuthentication.FailureLimit(0.1, 2));

        try (GatewayFixture gateway = GatewayFixture.with().settings(settings).start()) {
            for (int i = 0; i < 2; i++) {
                assertThat(gateway.get("/tenants/acme/workflows", "orr_wrong" + i + "x".repeat(30)).statusCode())
                        .isEqualTo(401);
            }
            HttpResponse<String> throttled = gateway.get("/tenants/acme/workflows", "orr_wrong2" + "x".repeat(30));

            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(throttled.headers().firstValue("Retry-After")).hasValueSatisfying(
                    v -> assertThat(Long.parseLong(v)).isBetween(1L, 10L));
        }
    }

    @Test
    void theDefaultsAreTenAtOnceThenTenAMinute() {
        assertThat(GatewaySettings.of(config(Map.of())).failureLimit()).isEqualTo(BearerAuthentication.FailureLimit.DEFAULT)
                .isEqualTo(GatewaySettings.defaults().failureLimit());
        assertThat(BearerAuthentication.FailureLimit.DEFAULT.burst()).isEqualTo(10);
        assertThat(BearerAuthentication.FailureLimit.DEFAULT.perSecond() * 60)
                .isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void valuesThatWouldThrottleForEverOrNeverFallBackToTheDefaults() {
        BearerAuthentication.FailureLimit limit = GatewaySettings.of(config(Map.of("auth_failureBurst", 0,
                "auth_failuresPerMinute", -1.0))).failureLimit();

        assertThat(limit).isEqualTo(BearerAuthentication.FailureLimit.DEFAULT);
        assertThat(GatewaySettings.of(config(Map.of("auth_failuresPerMinute", Double.NaN))).failureLimit().perSecond())
                .isEqualTo(BearerAuthentication.FailureLimit.DEFAULT.perSecond());
    }

    /** The configuration as DS hands it over: the annotation's defaults where a property is not set. */
    static GatewayConfig config(Map<String, Object> set) {
        return (GatewayConfig) Proxy.newProxyInstance(GatewayConfig.class.getClassLoader(),
                new Class<?>[] {GatewayConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return GatewayConfig.class;
                    }
                    return set.containsKey(method.getName()) ? set.get(method.getName()) : method.getDefaultValue();
                });
    }
}
