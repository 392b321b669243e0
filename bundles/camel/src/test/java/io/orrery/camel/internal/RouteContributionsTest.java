package io.orrery.camel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/** The route whiteboard in a real OSGi framework: platform bundles contribute routes, tenant bundles cannot. */
class RouteContributionsTest {

    @TempDir
    Path dir;

    private Framework framework;
    private CamelContext camel;
    private RouteContributions contributions;

    @BeforeEach
    void start() throws Exception {
        framework = new FrameworkFactory().newFramework(Map.of(Constants.FRAMEWORK_STORAGE, dir.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.start();
        camel = new DefaultCamelContext();
        camel.start();
        contributions = new RouteContributions(framework.getBundleContext(), camel);
        contributions.open();
    }

    @AfterEach
    void stop() throws Exception {
        contributions.close();
        camel.stop();
        framework.stop();
        framework.waitForStop(20_000);
    }

    @Test
    void aTenantBundlesRoutesAreIgnoredAndAPlatformBundlesAdded() throws Exception {
        Bundle platform = started("platform.routes", null);
        Bundle tenant = started("acme.routes", "acme");

        platform.getBundleContext().registerService(RoutesBuilder.class, routes("platform"), null);
        tenant.getBundleContext().registerService(RoutesBuilder.class, routes("tenant"), null);

        assertThat(camel.getRoute("platform")).isNotNull();
        assertThat(camel.getRoute("tenant")).isNull();
    }

    private Bundle started(String symbolicName, String tenant) throws Exception {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        a.putValue(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
        if (tenant != null) {
            a.putValue(RouteContributions.TENANT_HEADER, tenant);
        }
        var out = new ByteArrayOutputStream();
        try (var jar = new JarOutputStream(out, m)) {
            jar.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Bundle b = framework.getBundleContext().installBundle(symbolicName, new ByteArrayInputStream(
                out.toByteArray()));
        b.start();
        return b;
    }

    private static RouteBuilder routes(String id) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + id).routeId(id).log("${body}");
            }
        };
    }
}
