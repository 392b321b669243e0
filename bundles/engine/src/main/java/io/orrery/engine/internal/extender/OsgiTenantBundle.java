package io.orrery.engine.internal.extender;

import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWiring;

/**
 * An installed bundle as the extender sees it, pinned to the revision that was active when it was tracked: its
 * wiring (class loader) and modification time are taken then, so a deploy that runs a moment later on the
 * extender's thread still works on that revision even if the bundle was updated meanwhile.
 */
final class OsgiTenantBundle implements TenantBundle {

    private final Bundle bundle;
    private final long lastModified;
    private final BundleWiring wiring;

    OsgiTenantBundle(Bundle bundle) {
        this.bundle = bundle;
        this.lastModified = bundle.getLastModified();
        this.wiring = bundle.adapt(BundleWiring.class);
    }

    @Override
    public long id() {
        return bundle.getBundleId();
    }

    @Override
    public String symbolicName() {
        return bundle.getSymbolicName();
    }

    @Override
    public String version() {
        return bundle.getVersion().toString();
    }

    @Override
    public long lastModified() {
        return lastModified;
    }

    @Override
    public String header(String name) {
        return bundle.getHeaders("").get(name);
    }

    @Override
    public ClassLoader classLoader() {
        ClassLoader loader = wiring == null || !wiring.isInUse() ? null : wiring.getClassLoader();
        if (loader == null) {
            throw new IllegalStateException(describe() + " is not resolved any more");
        }
        return loader;
    }

    @Override
    public List<String> scriptClasses(String scriptClass) {
        int dot = scriptClass.lastIndexOf('.');
        String dir = dot < 0 ? "/" : "/" + scriptClass.substring(0, dot).replace('.', '/');
        String simple = scriptClass.substring(dot + 1);
        List<String> paths = new ArrayList<>();
        Enumeration<URL> found = bundle.findEntries(dir, simple + "*.class", false);
        while (found != null && found.hasMoreElements()) {
            paths.add(found.nextElement().getPath());
        }
        return UploadedJar.scriptClassesAmong(paths, scriptClass);
    }

    @Override
    public boolean uninstalled() {
        return bundle.getState() == Bundle.UNINSTALLED;
    }

    Bundle bundle() {
        return bundle;
    }
}
