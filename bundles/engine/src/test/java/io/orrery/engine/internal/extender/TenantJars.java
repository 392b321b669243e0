package io.orrery.engine.internal.extender;

import io.orrery.api.engine.WorkflowDefinition;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.emirax.CompiledModule;
import io.orrery.emirax.EmiraxCompiler;
import io.orrery.emirax.EmiraxSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
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

    byte[] bytes() {
        CompiledModule compiled = compile();
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        main.putValue("DynamicImport-Package", "*");
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An installed bundle of this content, as the framework would show it. */
    FakeBundle installed(long id, long lastModified) {
        return new FakeBundle(id, lastModified, UploadedJar.read(bytes(), getClass().getClassLoader()));
    }

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
