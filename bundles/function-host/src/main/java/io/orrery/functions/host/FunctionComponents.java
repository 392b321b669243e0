package io.orrery.functions.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Maps a tenant bundle's {@value #HEADER} to {@code Service-Component} in a copy of the bundle, so the host's SCR
 * runs the tenant's function components. A tenant bundle names its components under its own header because the
 * server must never run them: the server's SCR reads only {@code Service-Component}, which a tenant bundle may not
 * carry. Whatever {@code Service-Component} the jar had is replaced.
 */
final class FunctionComponents {

    static final String HEADER = "Orrery-Function-Components";
    static final String SERVICE_COMPONENT = "Service-Component";

    private FunctionComponents() {
    }

    /** Writes the copy the host installs; answers it. */
    static Path rewrite(Path bundle, Path directory) throws IOException {
        Path out = directory.resolve(bundle.getFileName().toString());
        try (JarFile jar = new JarFile(bundle.toFile(), false)) {
            Manifest manifest = new Manifest(jar.getManifest());
            Attributes main = manifest.getMainAttributes();
            String components = main.getValue(HEADER);
            main.remove(new Attributes.Name(SERVICE_COMPONENT));
            if (components != null && !components.isBlank()) {
                main.putValue(SERVICE_COMPONENT, components);
            }
            try (OutputStream file = Files.newOutputStream(out); JarOutputStream copy = new JarOutputStream(file, manifest)) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry e = entries.nextElement();
                    if (e.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    copy.putNextEntry(new JarEntry(e.getName()));
                    try (InputStream in = jar.getInputStream(e)) {
                        in.transferTo(copy);
                    }
                    copy.closeEntry();
                }
            }
        }
        return out;
    }
}
