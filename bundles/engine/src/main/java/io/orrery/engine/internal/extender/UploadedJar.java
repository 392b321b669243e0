package io.orrery.engine.internal.extender;

import io.orrery.engine.internal.verify.VerifiedBundle;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An uploaded bundle that passed verification, before anything is installed: its manifest, and its script classes
 * in a throwaway loader. The deployer builds the module from it to refuse a broken bundle before the running
 * version is touched, and the dry run works on it alone. Only the verified script classes are here: nothing else in
 * the jar can be loaded.
 */
public final class UploadedJar implements TenantBundle {

    private final Map<String, String> headers;
    private final Map<String, byte[]> classes;
    private final ClassLoader parent;
    private volatile ClassLoader loader;

    /**
     * @param headers the main manifest headers, names case-insensitive
     * @param classes binary class name to class file
     */
    UploadedJar(Map<String, String> headers, Map<String, byte[]> classes, ClassLoader parent) {
        this.headers = headers;
        this.classes = classes;
        this.parent = parent;
    }

    /** @param parent sees what the bundle imports from the server: Groovy, the Emirax DSL, the Orrery API */
    public static UploadedJar of(VerifiedBundle verified, ClassLoader parent) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(verified.headers());
        return new UploadedJar(headers, verified.scriptClasses(), parent);
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
        return headers.get(name);
    }

    @Override
    public ClassLoader classLoader() {
        ClassLoader l = loader;
        if (l == null) {
            synchronized (this) {
                if (loader == null) {
                    loader = new ScriptClassLoader(classes, parent);
                }
                l = loader;
            }
        }
        return l;
    }

    @Override
    public List<String> scriptClasses(String scriptClass) {
        return scriptClassesAmong(classes.keySet().stream().map(c -> c.replace('.', '/') + ".class").toList(),
                scriptClass);
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

    /** Defines the verified classes from memory; asks the parent first, like a bundle asks its imports. */
    private static final class ScriptClassLoader extends ClassLoader {

        static {
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> classes;

        ScriptClassLoader(Map<String, byte[]> classes, ClassLoader parent) {
            super("uploaded-bundle", parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }

        // The Emirax loader reads each script's class files through the loader and verifies them before running.
        @Override
        public InputStream getResourceAsStream(String name) {
            String path = name.startsWith("/") ? name.substring(1) : name;
            byte[] bytes = path.endsWith(".class")
                    ? classes.get(path.substring(0, path.length() - ".class".length()).replace('/', '.')) : null;
            return bytes != null ? new ByteArrayInputStream(bytes) : super.getResourceAsStream(name);
        }
    }
}
