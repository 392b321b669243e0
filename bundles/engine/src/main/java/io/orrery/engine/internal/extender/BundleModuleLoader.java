package io.orrery.engine.internal.extender;

import io.orrery.api.engine.WorkflowDefinition;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.tenant.BundleRejectedException;
import io.orrery.emirax.EmiraxLoader;
import io.orrery.emirax.EmiraxScript;
import io.orrery.emirax.FallbackClassLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a tenant bundle's {@link WorkflowModule} from the compiled scripts its manifest names, through the
 * bundle's own class loader. Every class of every script is loaded up front: the engine keeps running a
 * workflow's rules while a newer revision of the bundle is being started, and by then the old revision's loader
 * may no longer load anything.
 */
public final class BundleModuleLoader {

    private final ClassLoader runtime;

    /** @param runtime sees Groovy and the Emirax DSL: the context loader while scripts build their model */
    public BundleModuleLoader(ClassLoader runtime) {
        this.runtime = runtime;
    }

    /** The DSL's loader first (it sees the Orrery API), then Groovy's own (its AST and runtime packages). */
    public static BundleModuleLoader forThisRuntime() {
        return new BundleModuleLoader(new FallbackClassLoader(EmiraxScript.class.getClassLoader(),
                groovy.lang.GroovyObject.class.getClassLoader()));
    }

    /** Throws {@link BundleRejectedException} with the reason the module cannot be built. */
    public LoadedModule load(TenantBundle bundle, TenantManifest manifest) {
        ClassLoader loader = loaderOf(bundle);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(new FallbackClassLoader(loader, runtime));
        try {
            for (String script : manifest.scripts()) {
                preload(bundle, loader, script);
            }
            // Functions (Emirax blocks and Java components) run in the tenant's function host, never in this JVM:
            // the server keeps the workflows only.
            WorkflowModule module = new WorkflowModule(EmiraxLoader.load(loader, manifest.scripts()).workflows(),
                    List.of());
            requireDeclared(manifest, module);
            return new LoadedModule(manifest.tenant(), module, loader);
        } catch (BundleRejectedException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new BundleRejectedException("workflows", "the workflows of " + bundle.describe()
                    + " cannot be loaded: " + reason(e), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static ClassLoader loaderOf(TenantBundle bundle) {
        try {
            return bundle.classLoader();
        } catch (IllegalStateException e) {
            throw new BundleRejectedException(null, bundle.describe() + " stopped before it could be deployed");
        }
    }

    private static void preload(TenantBundle bundle, ClassLoader loader, String script) {
        List<String> classes = bundle.scriptClasses(script);
        if (!classes.contains(script)) {
            throw new BundleRejectedException(TenantManifest.SCRIPTS, TenantManifest.SCRIPTS + " names " + script
                    + ", which " + bundle.describe() + " does not contain");
        }
        for (String name : classes) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException e) {
                throw new BundleRejectedException(TenantManifest.SCRIPTS, "cannot load " + name + " from "
                        + bundle.describe() + ": " + e.getMessage(), e);
            }
        }
    }

    // The plugin wrote Orrery-Workflows from the same classes; a mismatch means a bundle assembled by hand.
    private static void requireDeclared(TenantManifest manifest, WorkflowModule module) {
        if (manifest.workflows() == null) {
            return;
        }
        Map<String, Integer> actual = new LinkedHashMap<>();
        for (WorkflowDefinition w : module.workflows()) {
            actual.put(w.name(), w.version());
        }
        if (!actual.equals(manifest.workflows())) {
            throw new BundleRejectedException(TenantManifest.WORKFLOWS, TenantManifest.WORKFLOWS + " declares "
                    + describe(manifest.workflows()) + " but the scripts define " + describe(actual));
        }
    }

    private static String describe(Map<String, Integer> workflows) {
        List<String> parts = new ArrayList<>();
        workflows.forEach((n, v) -> parts.add(n + " version " + v));
        return parts.isEmpty() ? "no workflows" : String.join(", ", parts);
    }

    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null
                || t instanceof java.lang.reflect.InvocationTargetException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getName() : t.getMessage();
    }
}
