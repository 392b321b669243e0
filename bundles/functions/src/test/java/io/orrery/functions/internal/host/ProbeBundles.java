package io.orrery.functions.internal.host;

import io.orrery.functions.fixtures.Allocate;
import io.orrery.functions.fixtures.Connect;
import io.orrery.functions.fixtures.Echo;
import io.orrery.functions.fixtures.Fail;
import io.orrery.functions.fixtures.Halt;
import io.orrery.functions.fixtures.Log;
import io.orrery.functions.fixtures.Nap;
import io.orrery.functions.fixtures.ReadFile;
import io.orrery.functions.fixtures.Scribble;
import io.orrery.functions.fixtures.Spin;
import io.orrery.functions.fixtures.Stamp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A hand-built tenant bundle holding the probe functions as DS components declared, as a tenant bundle declares
 * them, under {@code Orrery-Function-Components} (with a wildcard, as SCR allows).
 */
public final class ProbeBundles {

    public static final List<Class<?>> PROBES = List.of(Echo.class, ReadFile.class, Connect.class, Spin.class,
            Allocate.class, Halt.class, Fail.class, Scribble.class, Log.class, Stamp.class, Nap.class);

    private ProbeBundles() {
    }

    public static Path write(Path directory, String tenant) throws IOException {
        return write(directory.resolve(tenant + "-probes.jar"), tenant, "1.0.0", PROBES);
    }

    public static Path write(Path jar, String tenant, String version, List<Class<?>> probes) throws IOException {
        return write(jar, tenant, tenant + ".probes", version, probes);
    }

    public static Path write(Path jar, String tenant, String symbolicName, String version, List<Class<?>> probes)
            throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", version);
        a.putValue("Import-Package", "io.orrery.api.function;version=\"[1.0,2)\",org.slf4j;version=\"[2.0,3)\"");
        a.putValue("Orrery-Tenant", tenant);
        a.putValue("Orrery-Function-Components", "OSGI-INF/*.xml");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            for (Class<?> c : probes) {
                String path = c.getName().replace('.', '/') + ".class";
                j.putNextEntry(new JarEntry(path));
                try (InputStream in = c.getClassLoader().getResourceAsStream(path)) {
                    in.transferTo(j);
                }
                j.putNextEntry(new JarEntry("OSGI-INF/" + c.getSimpleName() + ".xml"));
                j.write(component(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return jar;
    }

    private static String component(Class<?> c) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + c.getName() + "\">"
                + "<implementation class=\"" + c.getName() + "\"/>"
                + "<service><provide interface=\"io.orrery.api.function.OrreryFunction\"/></service>"
                + "</scr:component>\n";
    }
}
