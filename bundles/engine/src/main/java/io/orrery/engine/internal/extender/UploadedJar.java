package io.orrery.engine.internal.extender;

import io.orrery.api.tenant.BundleRejectedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

/**
 * An uploaded bundle read from its bytes, before anything is installed: its manifest, and its classes in a
 * throwaway loader. The deployer builds the module from it to refuse a broken bundle before the running version is
 * touched, and the dry run works on it alone.
 */
public final class UploadedJar implements TenantBundle {

    /** Unpacked, a bundle may hold this much; more is refused rather than held in memory. */
    static final long MAX_UNPACKED_BYTES = 256L * 1024 * 1024;

    private final Manifest manifest;
    private final Map<String, byte[]> entries;
    private final ClassLoader parent;
    private volatile ClassLoader loader;

    private UploadedJar(Manifest manifest, Map<String, byte[]> entries, ClassLoader parent) {
        this.manifest = manifest;
        this.entries = entries;
        this.parent = parent;
    }

    /**
     * Throws {@link BundleRejectedException} for bytes that are not an OSGi bundle.
     *
     * @param parent sees what the bundle imports from the server: Groovy, the Emirax DSL, the Orrery API
     */
    public static UploadedJar read(byte[] bytes, ClassLoader parent) {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(bytes), false)) {
            Manifest manifest = in.getManifest();
            if (manifest == null) {
                throw new BundleRejectedException("bundle", "not an OSGi bundle: the jar has no manifest");
            }
            Map<String, byte[]> entries = new HashMap<>();
            long total = 0;
            for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                if (!e.isDirectory()) {
                    byte[] content = readBounded(in, MAX_UNPACKED_BYTES - total);
                    total += content.length;
                    entries.put(e.getName(), content);
                }
            }
            var jar = new UploadedJar(manifest, entries, parent);
            if (jar.symbolicName() == null) {
                throw new BundleRejectedException("Bundle-SymbolicName", "not an OSGi bundle: the manifest has no "
                        + "Bundle-SymbolicName");
            }
            return jar;
        } catch (IOException | SecurityException e) {
            throw new BundleRejectedException("bundle", "not a readable jar: " + e.getMessage(), e);
        }
    }

    private static byte[] readBounded(InputStream in, long remaining) throws IOException {
        byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, remaining + 1));
        if (content.length > remaining) {
            throw new BundleRejectedException("bundle", "the bundle unpacks to more than "
                    + MAX_UNPACKED_BYTES / (1024 * 1024) + " MB");
        }
        return content;
    }

    @Override
    public long id() {
        return -1;
    }

    @Override
    public String symbolicName() {
        String bsn = header("Bundle-SymbolicName");
        if (bsn == null) {
            return null;
        }
        int semicolon = bsn.indexOf(';');
        return (semicolon < 0 ? bsn : bsn.substring(0, semicolon)).trim();
    }

    @Override
    public String version() {
        String v = header("Bundle-Version");
        return v == null ? "0.0.0" : v.trim();
    }

    @Override
    public long lastModified() {
        return 0;
    }

    @Override
    public String header(String name) {
        return manifest.getMainAttributes().getValue(new Attributes.Name(name));
    }

    @Override
    public ClassLoader classLoader() {
        ClassLoader l = loader;
        if (l == null) {
            synchronized (this) {
                if (loader == null) {
                    loader = new JarEntryClassLoader(entries, parent);
                }
                l = loader;
            }
        }
        return l;
    }

    @Override
    public List<String> scriptClasses(String scriptClass) {
        return scriptClassesAmong(entries.keySet(), scriptClass);
    }

    @Override
    public boolean uninstalled() {
        return false;
    }

    /** The script's class files among a bundle's entry paths, as binary class names. */
    static List<String> scriptClassesAmong(Iterable<String> paths, String scriptClass) {
        String path = scriptClass.replace('.', '/');
        List<String> classes = new ArrayList<>();
        for (String entry : paths) {
            String p = entry.startsWith("/") ? entry.substring(1) : entry;
            if (p.equals(path + ".class") || (p.startsWith(path + "$") && p.endsWith(".class"))) {
                classes.add(p.substring(0, p.length() - ".class".length()).replace('/', '.'));
            }
        }
        classes.sort(null);
        return classes;
    }

    /** Defines the jar's classes from memory; asks the parent first, like a bundle asks its imports. */
    private static final class JarEntryClassLoader extends ClassLoader {

        static {
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> entries;

        JarEntryClassLoader(Map<String, byte[]> entries, ClassLoader parent) {
            super("uploaded-bundle", parent);
            this.entries = entries;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = entries.get(name.replace('.', '/') + ".class");
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }

        // The Emirax loader reads each script's class files through the loader and verifies them before running.
        @Override
        public java.io.InputStream getResourceAsStream(String name) {
            byte[] bytes = entries.get(name.startsWith("/") ? name.substring(1) : name);
            return bytes != null ? new java.io.ByteArrayInputStream(bytes) : super.getResourceAsStream(name);
        }
    }
}
