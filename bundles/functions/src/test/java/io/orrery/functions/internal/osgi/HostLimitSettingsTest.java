package io.orrery.functions.internal.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.functions.internal.host.HostLimits;
import io.orrery.functions.internal.host.HostSettings;
import io.orrery.functions.internal.host.Sandbox;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A limit configured below what a host needs leaves the hosts running on the default limits, not off. */
class HostLimitSettingsTest {

    @Test
    void theConfiguredLimitsAreTheHostsLimits() {
        HostLimits limits = FunctionHostsComponent.settings(config(Map.of("maxThreads", 512, "maxProcesses", 8,
                "maxOpenFiles", 2048, "maxFileSizeMegabytes", 16))).limits();

        assertThat(limits).isEqualTo(new HostLimits(512, 8, 2048, 16L << 20));
    }

    @Test
    void aLimitTooLowForAnyHostLeavesTheDefaultsInsteadOfFailingTheComponent() {
        for (var bad : Map.of("maxThreads", 16, "maxOpenFiles", 100, "maxFileSizeMegabytes", 0,
                "maxProcesses", -1).entrySet()) {
            HostLimits limits = FunctionHostsComponent.settings(config(Map.of(bad.getKey(), bad.getValue())))
                    .limits();

            assertThat(limits).as(bad.getKey()).isEqualTo(HostLimits.DEFAULTS);
        }
    }

    @Test
    void limitsTheKernelWillNotGrantLeaveTheDefaultsInsteadOfHostsThatCannotStart() {
        // Above fs.nr_open (1,048,576 unless raised), which binds root too: prlimit cannot set it, so no host
        // would start under it.
        HostSettings settings = FunctionHostsComponent.settings(config(Map.of("maxOpenFiles", 1 << 30)),
                Sandbox.off("not needed here"));

        assertThat(settings.limits()).isEqualTo(HostLimits.DEFAULTS);
    }

    @Test
    void theComplaintNamesTheSettingAsConfigured() {
        assertThat(FunctionHostsComponent.limitsTrouble(config(Map.of("maxFileSizeMegabytes", 0))))
                .contains("maxFileSizeMegabytes").contains("at least 1");
        assertThat(FunctionHostsComponent.limitsTrouble(config(Map.of("maxThreads", 16))))
                .contains("maxThreads").contains("at least 32").contains("16");
        assertThat(FunctionHostsComponent.limitsTrouble(config(Map.of()))).isNull();
    }

    private static FunctionHostsComponent.Config config(Map<String, Object> set) {
        return (FunctionHostsComponent.Config) Proxy.newProxyInstance(HostLimitSettingsTest.class.getClassLoader(),
                new Class<?>[] {FunctionHostsComponent.Config.class}, (proxy, method, args) ->
                        set.containsKey(method.getName()) ? set.get(method.getName()) : method.getDefaultValue());
    }
}
