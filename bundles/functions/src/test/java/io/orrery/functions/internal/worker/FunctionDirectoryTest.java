package io.orrery.functions.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.function.OrreryFunction;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionDirectoryTest {

    private final FunctionDirectory directory = new FunctionDirectory();

    @Test
    void functionsOfATenantBundleServeItsManifestsTenantOnly() {
        assertThat(FunctionTenancy.tenantOf(Map.of(), "acme")).contains("acme");
        assertThat(FunctionTenancy.tenantOf(Map.of("orrery.tenant", "acme"), "acme")).contains("acme");
        assertThat(FunctionTenancy.tenantOf(Map.of("orrery.tenant", "beta"), "acme")).isEmpty();
        assertThat(FunctionTenancy.tenantOf(Map.of("orrery.tenant", "beta"), null)).contains("beta");
        assertThat(FunctionTenancy.tenantOf(Map.of(), null)).contains(FunctionTenancy.SHARED);
    }

    @Test
    void aTenantBundlesFunctionServesOnlyThatTenant() {
        OrreryFunction split = named("media.split");
        assertThat(directory.add(split, Map.of(), "acme")).isTrue();

        assertThat(directory.find("acme", "media.split")).contains(split);
        assertThat(directory.find("beta", "media.split")).isEmpty();
    }

    @Test
    void aTenantBundleCannotRegisterAFunctionForAnotherTenant() {
        OrreryFunction spy = named("media.split");

        assertThat(directory.add(spy, Map.of(FunctionDirectory.TENANT, "beta"), "acme")).isFalse();
        assertThat(directory.find("beta", "media.split")).isEmpty();
        assertThat(directory.find("acme", "media.split")).isEmpty();
    }

    @Test
    void aPlatformFunctionServesEveryTenantAfterTheirOwn() {
        OrreryFunction shared = named("media.size");
        OrreryFunction own = named("media.size");
        directory.add(shared, Map.of(), null);
        directory.add(own, Map.of(), "acme");

        assertThat(directory.find("beta", "media.size")).contains(shared);
        assertThat(directory.find("acme", "media.size")).contains(own);

        directory.remove(own, Map.of(), "acme");
        assertThat(directory.find("acme", "media.size")).contains(shared);
    }

    private static OrreryFunction named(String name) {
        return new OrreryFunction() {
            @Override public String name() { return name; }
            @Override public Map<String, Object> apply(Map<String, Object> args) { return Map.of(); }
        };
    }
}
