package io.orrery.engine.internal.verify;

import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * No class the server loads from a tenant bundle may have a static initializer: it would run as the server loads
 * or instantiates the class, before any rule is asked anything. Run on every such class, rule or function.
 */
final class StaticInitializers implements ClassFileCheck {

    @Override
    public List<String> violations(String className, byte[] classFile) {
        boolean[] found = new boolean[1];
        try {
            new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    found[0] |= "<clinit>".equals(name);
                    return null;
                }
            }, ClassReader.SKIP_CODE);
        } catch (RuntimeException e) {
            return List.of(className + ": not a readable class file (" + e.getClass().getSimpleName() + ")");
        }
        return found[0] ? List.of(className + ": has a static initializer, which would run when the server loads it")
                : List.of();
    }
}
