package io.orrery.engine.internal.extender;

import io.orrery.api.engine.WorkflowDefinition;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.emirax.CompiledModule;
import io.orrery.emirax.EmiraxCompiler;
import io.orrery.emirax.EmiraxSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Tenant bundles made in memory the way the Emirax Maven plugin makes them: compiled scripts in
 * {@code emirax.<tenant>.internal}, the Orrery headers, and whatever extra headers a test wants.
 */
final class TenantJars {

    private static final Map<String, CompiledModule> COMPILED = new ConcurrentHashMap<>();

    private final String tenant;
    private final String symbolicName;
    private final String version;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    private TenantJars(String tenant, String symbolicName, String version) {
        this.tenant = tenant;
        this.symbolicName = symbolicName;
        this.version = version;
    }

    static TenantJars bundle(String tenant, String symbolicName, String version) {
        return new TenantJars(tenant, symbolicName, version);
    }

    /** An Emirax source (without a package line: the tenant's package is put in front, as the plugin does). */
    TenantJars source(String fileName, String text) {
        sources.put(fileName, text);
        return this;
    }

    /** A header, or one of the plugin's headers replaced; a null value removes it. */
    TenantJars header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** An entry besides the compiled scripts (a component description, a Java class, Maven metadata). */
    TenantJars entry(String name, byte[] content) {
        entries.put(name, content);
        return this;
    }

    byte[] bytes() {
        CompiledModule compiled = compile();
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        main.putValue("Import-Package", String.join(",", imports(compiled)));
        main.putValue(TenantManifest.TENANT, tenant);
        if (!compiled.scriptClasses().isEmpty()) {
            main.putValue(TenantManifest.SCRIPTS, String.join(",", compiled.scriptClasses()));
            main.putValue(TenantManifest.WORKFLOWS, workflowsHeader(compiled));
        }
        headers.forEach((k, v) -> {
            if (v == null) {
                main.remove(new Attributes.Name(k));
            } else {
                main.putValue(k, v);
            }
        });
        var out = new ByteArrayOutputStream();
        try (var jar = new JarOutputStream(out, manifest)) {
            for (var c : compiled.classes().entrySet()) {
                jar.putNextEntry(new JarEntry(c.getKey().replace('.', '/') + ".class"));
                jar.write(c.getValue());
                jar.closeEntry();
            }
            for (var e : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An installed bundle of this content, as the framework would show it. */
    FakeBundle installed(long id, long lastModified) {
        return new FakeBundle(id, lastModified, read(bytes(), getClass().getClassLoader()));
    }

    /** The jar's headers and every class in it, unverified: for tests of the extender alone. */
    static UploadedJar read(byte[] jar, ClassLoader parent) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, byte[]> classes = new HashMap<>();
        try (var in = new JarInputStream(new ByteArrayInputStream(jar))) {
            in.getManifest().getMainAttributes().forEach((k, v) -> headers.put(k.toString(), v.toString()));
            for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                if (e.getName().endsWith(".class")) {
                    String name = e.getName().substring(0, e.getName().length() - 6).replace('/', '.');
                    classes.put(name, in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new UploadedJar(headers, classes, parent);
    }

    /** The packages the compiled classes refer to, outside the JDK and their own: what bnd would import. */
    private static Set<String> imports(CompiledModule compiled) {
        Set<String> packages = new TreeSet<>();
        Set<String> own = new TreeSet<>();
        for (var c : compiled.classes().entrySet()) {
            own.add(c.getKey().substring(0, Math.max(0, c.getKey().lastIndexOf('.'))));
            Matcher m = INTERNAL_NAME.matcher(new String(c.getValue(), StandardCharsets.ISO_8859_1));
            while (m.find()) {
                packages.add(m.group(1).replace('/', '.'));
            }
        }
        packages.removeAll(own);
        packages.removeIf(p -> p.startsWith("java.") || p.startsWith("javax."));
        return packages;
    }

    private static final Pattern INTERNAL_NAME = Pattern.compile("((?:[a-z][a-z0-9_]*/)+[a-z][a-z0-9_]*)/[A-Z]");

    private CompiledModule compile() {
        if (sources.isEmpty()) {
            return new CompiledModule(Map.of(), List.of());
        }
        String pkg = "emirax." + tenant.replace('-', '_') + ".internal";
        List<EmiraxSource> list = sources.entrySet().stream()
                .map(e -> new EmiraxSource("src/main/emirax/" + e.getKey(), "package " + pkg + "; " + e.getValue()))
                .toList();
        String cacheKey = list.stream().map(s -> s.path() + "\n" + s.text()).collect(Collectors.joining("\n\0"));
        return COMPILED.computeIfAbsent(cacheKey, k -> new EmiraxCompiler().compile(list));
    }

    // Built in a loader of its own that is dropped at once, as the plugin builds it at build time.
    private static String workflowsHeader(CompiledModule compiled) {
        try {
            WorkflowModule module = compiled.load(TenantJars.class.getClassLoader());
            return module.workflows().stream().map(TenantJars::clause).collect(Collectors.joining(","));
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String clause(WorkflowDefinition w) {
        return w.name() + ";version=" + w.version();
    }

    /** A bundle with an id, a modification time and a life cycle, over an uploaded jar's content. */
    static final class FakeBundle implements TenantBundle {

        private final long id;
        private final long lastModified;
        private final UploadedJar content;
        private volatile boolean uninstalled;

        FakeBundle(long id, long lastModified, UploadedJar content) {
            this.id = id;
            this.lastModified = lastModified;
            this.content = content;
        }

        FakeBundle uninstall() {
            uninstalled = true;
            return this;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public String symbolicName() {
            return content.symbolicName();
        }

        @Override
        public String version() {
            return content.version();
        }

        @Override
        public long lastModified() {
            return lastModified;
        }

        @Override
        public String header(String name) {
            return content.header(name);
        }

        @Override
        public ClassLoader classLoader() {
            return content.classLoader();
        }

        @Override
        public List<String> scriptClasses(String scriptClass) {
            return content.scriptClasses(scriptClass);
        }

        @Override
        public boolean uninstalled() {
            return uninstalled;
        }
    }
}
