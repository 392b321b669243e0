package io.orrery.engine.internal.catalog;

import io.orrery.api.tenant.BundleDeployment;
import io.orrery.api.tenant.BundleRejectedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A node's bundles for catalog tests, without a framework: a "bundle" is a jar whose manifest names it; one whose
 * {@code Refused-On} header names this node is refused, standing in for a verification that fails on that node.
 */
final class ManifestOnlyBundles implements NodeBundles {

    final String nodeName;
    /** tenant/bsn to the installed bundle's version. */
    final Map<String, String> installed = new ConcurrentHashMap<>();
    final AtomicInteger deploys = new AtomicInteger();

    ManifestOnlyBundles(String nodeName) {
        this.nodeName = nodeName;
    }

    @Override
    public BundleDeployment deploy(String tenant, byte[] bundle) {
        Attributes main;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(bundle))) {
            main = in.getManifest().getMainAttributes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!tenant.equals(main.getValue("Orrery-Tenant"))) {
            throw new BundleRejectedException("Orrery-Tenant", "not this tenant's bundle");
        }
        if (nodeName.equals(main.getValue("Refused-On"))) {
            throw new BundleRejectedException("bundle", "refused by " + nodeName);
        }
        deploys.incrementAndGet();
        String bsn = main.getValue("Bundle-SymbolicName");
        installed.put(tenant + "/" + bsn, main.getValue("Bundle-Version"));
        return new BundleDeployment(deploys.get(), bsn, main.getValue("Bundle-Version"), List.of());
    }

    @Override
    public boolean uninstall(String tenant, String symbolicName) {
        return installed.remove(tenant + "/" + symbolicName) != null;
    }

    @Override
    public int uninstallTenant(String tenant) {
        int before = installed.size();
        installed.keySet().removeIf(key -> key.startsWith(tenant + "/"));
        return before - installed.size();
    }

    @Override
    public boolean installed(String tenant, String symbolicName) {
        return installed.containsKey(tenant + "/" + symbolicName);
    }

    static byte[] jar(String tenant, String bsn, String version, String... headers) {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", version);
        a.putValue("Orrery-Tenant", tenant);
        for (int i = 0; i < headers.length; i += 2) {
            a.putValue(headers[i], headers[i + 1]);
        }
        var out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
