package io.orrery.emirax;

import java.util.Map;

/** Defines compiled Emirax classes from memory; one loader per compiled module, dropped with it. */
final class CompiledClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> classes;

    CompiledClassLoader(ClassLoader parent, Map<String, byte[]> classes) {
        super("emirax", parent);
        this.classes = classes;
    }

    // The loader verifies class files read as resources before it defines anything (see EmiraxLoader).
    @Override
    public java.io.InputStream getResourceAsStream(String name) {
        if (name.endsWith(".class")) {
            byte[] bytes = classes.get(name.substring(0, name.length() - 6).replace('/', '.'));
            if (bytes != null) {
                return new java.io.ByteArrayInputStream(bytes);
            }
        }
        return super.getResourceAsStream(name);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
            throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
    }
}
