package io.orrery.gateway.internal;

import io.orrery.api.engine.DeployReport;
import io.orrery.api.engine.DryRunReport;
import io.orrery.api.tenant.BundleDeployer;
import io.orrery.api.tenant.BundleDeployment;
import io.orrery.api.tenant.BundleDryRun;
import io.orrery.api.tenant.BundleRejectedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Stands in for the engine's tenant bundle extender: reads the jar's manifest and "deploys" the workflows listed in
 * {@code Orrery-Workflows}, refusing a bundle of another tenant as the extender will.
 */
public final class FakeBundleDeployer implements BundleDeployer {

    public final List<String> deployed = new CopyOnWriteArrayList<>();

    @Override
    public BundleDeployment deploy(String tenant, byte[] bundle) {
        Manifest manifest = check(tenant, bundle);
        String name = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
        deployed.add(tenant + "/" + name);
        List<DeployReport> reports = workflows(manifest).stream()
                .map(w -> new DeployReport(tenant, w, 1, 0, 0, Map.of())).toList();
        return new BundleDeployment(42, name, manifest.getMainAttributes().getValue("Bundle-Version"), reports);
    }

    @Override
    public boolean undeploy(String tenant, String symbolicName) {
        return deployed.remove(tenant + "/" + symbolicName);
    }

    @Override
    public int undeployAll(String tenant) {
        List<String> mine = deployed.stream().filter(d -> d.startsWith(tenant + "/")).toList();
        deployed.removeAll(mine);
        return mine.size();
    }

    @Override
    public BundleDryRun dryRun(String tenant, byte[] bundle) {
        Manifest manifest = check(tenant, bundle);
        List<DryRunReport> reports = workflows(manifest).stream()
                .map(w -> new DryRunReport(tenant, w, 1, 2, 3, Map.of("reencode", 3L), 0)).toList();
        return new BundleDryRun(manifest.getMainAttributes().getValue("Bundle-SymbolicName"),
                manifest.getMainAttributes().getValue("Bundle-Version"), reports);
    }

    private static Manifest check(String tenant, byte[] bundle) {
        Manifest manifest;
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(bundle))) {
            manifest = jar.getManifest();
        } catch (IOException e) {
            throw new BundleRejectedException("bundle", "not a readable jar: " + e.getMessage());
        }
        if (manifest == null) {
            throw new BundleRejectedException("bundle", "the jar has no manifest");
        }
        String owner = manifest.getMainAttributes().getValue("Orrery-Tenant");
        if (owner == null) {
            throw new BundleRejectedException("Orrery-Tenant", "the manifest names no tenant (Orrery-Tenant)");
        }
        if (!owner.equals(tenant)) {
            throw new BundleRejectedException("Orrery-Tenant", "the bundle belongs to tenant " + owner + ", not " + tenant);
        }
        return manifest;
    }

    private static List<String> workflows(Manifest manifest) {
        String names = manifest.getMainAttributes().getValue("Orrery-Workflows");
        return names == null ? List.of() : List.of(names.split(","));
    }

    /** A jar with just a manifest, as the Emirax plugin would write it. */
    public static byte[] bundle(String tenant, String symbolicName, String... workflows) {
        return bundle(tenant, symbolicName, 0, workflows);
    }

    /** The same with an incompressible entry of {@code padding} bytes, to make it large. */
    public static byte[] bundle(String tenant, String symbolicName, int padding, String... workflows) {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        if (tenant != null) {
            main.putValue("Orrery-Tenant", tenant);
        }
        main.putValue("Orrery-Workflows", String.join(",", workflows));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            if (padding > 0) {
                byte[] noise = new byte[padding];
                new java.util.Random(padding).nextBytes(noise);
                jar.putNextEntry(new java.util.zip.ZipEntry("noise.bin"));
                jar.write(noise);
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
