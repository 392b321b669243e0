package io.orrery.engine.internal.extender;

import groovy.lang.GroovySystem;
import groovy.lang.MetaClassRegistry;
import java.util.ArrayList;
import java.util.List;
import org.codehaus.groovy.reflection.ClassInfo;
import org.codehaus.groovy.runtime.InvokerHelper;

/**
 * Lets go of what Groovy's runtime keeps about a bundle's classes once the bundle is gone: the meta classes in
 * the registry, Groovy's per-class info and the bean introspector's cache. Without it every undeploy would leave
 * a class loader (and its Metaspace) reachable from Groovy's global caches.
 */
public final class GroovyClassRelease {

    private GroovyClassRelease() {
    }

    /** Releases every class Groovy knows that {@code loader} defined; answers how many. */
    public static int release(ClassLoader loader) {
        if (loader == null) {
            return 0;
        }
        List<Class<?>> classes = new ArrayList<>();
        for (ClassInfo info : ClassInfo.getAllClassInfo()) {
            Class<?> c = info.getTheClass();
            if (c != null && c.getClassLoader() == loader) {
                classes.add(c);
            }
        }
        MetaClassRegistry registry = GroovySystem.getMetaClassRegistry();
        for (Class<?> c : classes) {
            registry.removeMetaClass(c);
            InvokerHelper.removeClass(c);
        }
        return classes.size();
    }
}
