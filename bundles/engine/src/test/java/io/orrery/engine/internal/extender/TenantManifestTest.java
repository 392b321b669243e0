package io.orrery.engine.internal.extender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.tenant.BundleRejectedException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantManifestTest {

    @Test
    void readsThePluginsHeaders() {
        var m = TenantManifest.of(headers(Map.of(
                "Orrery-Tenant", " acme ",
                "Orrery-Emirax-Scripts", "emirax.acme.internal.encode_video, emirax.acme.internal.more",
                "Orrery-Workflows", "encode-video;version=3,\"odd, name\";version=12,plain"))).orElseThrow();

        assertThat(m.tenant()).isEqualTo("acme");
        assertThat(m.scripts()).containsExactly("emirax.acme.internal.encode_video", "emirax.acme.internal.more");
        assertThat(m.workflows()).containsExactly(Map.entry("encode-video", 3), Map.entry("odd, name", 12),
                Map.entry("plain", 1));
    }

    @Test
    void aBundleWithoutTheTenantHeaderIsNoTenantBundle() {
        assertThat(TenantManifest.of(headers(Map.of("Orrery-Workflows", "x;version=1")))).isEmpty();
    }

    @Test
    void withoutWorkflowsHeaderNothingIsChecked() {
        assertThat(TenantManifest.of(headers(Map.of("Orrery-Tenant", "acme"))).orElseThrow().workflows()).isNull();
    }

    @Test
    void refusesMalformedHeaders() {
        assertThatThrownBy(() -> TenantManifest.of(headers(Map.of("Orrery-Tenant", "../etc"))))
                .isInstanceOf(BundleRejectedException.class).hasMessageContaining("not a valid tenant name");
        assertThatThrownBy(() -> TenantManifest.of(headers(Map.of("Orrery-Tenant", "acme",
                "Orrery-Workflows", "x;version=three")))).hasMessageContaining("not a number");
        assertThatThrownBy(() -> TenantManifest.of(headers(Map.of("Orrery-Tenant", "acme",
                "Orrery-Emirax-Scripts", "a b")))).hasMessageContaining("not a class name");
    }

    @Test
    void findsAScriptsClassesAmongEntries() {
        assertThat(UploadedJar.scriptClassesAmong(List.of("/emirax/a/internal/flow.class",
                "emirax/a/internal/flow$_run_closure1.class", "emirax/a/internal/flow2.class",
                "emirax/a/internal/flowers.class", "emirax/a/internal/flow.groovy"), "emirax.a.internal.flow"))
                .containsExactly("emirax.a.internal.flow", "emirax.a.internal.flow$_run_closure1");
    }

    private static TenantBundle headers(Map<String, String> headers) {
        return new TenantBundle() {
            @Override public long id() { return 1; }
            @Override public String symbolicName() { return "x"; }
            @Override public String version() { return "1.0.0"; }
            @Override public long lastModified() { return 0; }
            @Override public String header(String name) { return headers.get(name); }
            @Override public ClassLoader classLoader() { throw new IllegalStateException(); }
            @Override public List<String> scriptClasses(String s) { return List.of(); }
            @Override public boolean uninstalled() { return false; }
        };
    }
}
