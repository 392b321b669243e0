package io.orrery.functions.internal.osgi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Enumeration;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.osgi.framework.Bundle;

/**
 * Writes an installed bundle's content as a jar for its function host: the entries the framework itself holds for
 * it (the manifest first, as jar readers expect), whatever location it was installed from.
 */
final class BundleJar {

    private BundleJar() {
    }

    static void write(Bundle bundle, Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream out = new ZipOutputStream(file)) {
            copy(bundle, JarFile.MANIFEST_NAME, out);
            Deque<String> directories = new ArrayDeque<>();
            directories.push("/");
            while (!directories.isEmpty()) {
                Enumeration<String> paths = bundle.getEntryPaths(directories.pop());
                while (paths != null && paths.hasMoreElements()) {
                    String path = paths.nextElement();
                    if (path.endsWith("/")) {
                        directories.push(path);
                    } else if (!path.equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                        copy(bundle, path, out);
                    }
                }
            }
        }
    }

    private static void copy(Bundle bundle, String path, ZipOutputStream out) throws IOException {
        URL entry = bundle.getEntry(path);
        if (entry == null) {
            throw new IOException(bundle.getSymbolicName() + " has no entry " + path);
        }
        out.putNextEntry(new ZipEntry(path.startsWith("/") ? path.substring(1) : path));
        try (InputStream in = entry.openStream()) {
            in.transferTo(out);
        }
        out.closeEntry();
    }
}
