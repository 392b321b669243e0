package io.orrery.benchmarks.functions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** A tenant bundle holding {@link NoOp} as a DS component, declared as tenant bundles declare their functions. */
final class TenantJar {

    private TenantJar() {
    }

    static Path write(Path directory, String tenant) throws IOException {
        Files.createDirectories(directory);
        Path jar = directory.resolve(tenant + "-noop.jar");
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", tenant + ".noop");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Import-Package", "io.orrery.api.function;version=\"[1.0,2)\"");
        a.putValue("Orrery-Tenant", tenant);
        a.putValue("Orrery-Function-Components", "OSGI-INF/*.xml");
        String path = NoOp.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.putNextEntry(new JarEntry(path));
            try (InputStream in = NoOp.class.getClassLoader().getResourceAsStream(path)) {
                in.transferTo(j);
            }
            j.putNextEntry(new JarEntry("OSGI-INF/NoOp.xml"));
            j.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + NoOp.class.getName()
                    + "\"><implementation class=\"" + NoOp.class.getName() + "\"/>"
                    + "<service><provide interface=\"io.orrery.api.function.OrreryFunction\"/></service>"
                    + "</scr:component>\n").getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }
}
