package io.orrery.emirax;

/**
 * Asks a primary loader first and falls back to a second one. In OSGi the compiler needs this: the tenant
 * bundle's loader does not see Groovy's AST transformation classes, which live in Groovy's own bundle.
 */
public final class FallbackClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader fallback;

    public FallbackClassLoader(ClassLoader primary, ClassLoader fallback) {
        super("emirax-fallback", primary);
        this.fallback = fallback;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        return fallback.loadClass(name);
    }

    @Override
    protected java.net.URL findResource(String name) {
        return fallback.getResource(name);
    }

    @Override
    protected java.util.Enumeration<java.net.URL> findResources(String name) throws java.io.IOException {
        return fallback.getResources(name);
    }
}
