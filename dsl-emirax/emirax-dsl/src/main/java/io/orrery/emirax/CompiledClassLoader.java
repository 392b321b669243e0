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

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
            throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
    }
}
