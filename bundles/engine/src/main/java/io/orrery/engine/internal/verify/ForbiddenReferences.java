package io.orrery.engine.internal.verify;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * A first check of rule classes: no reference to the JDK's I/O, network, reflection, process, thread or
 * class-loading types anywhere in the class (static initializers are refused for every class by
 * {@link StaticInitializers}). Rules decide; they never touch the machine. A complete allow-list of what a rule may
 * call replaces this through {@link ClassFileCheck}.
 */
final class ForbiddenReferences implements ClassFileCheck {

    private static final List<String> PACKAGES = List.of("java/io/", "java/nio/", "java/net/", "java/lang/reflect/",
            "sun/", "jdk/internal/");
    private static final Set<String> TYPES = Set.of("java/lang/ProcessBuilder", "java/lang/Process",
            "java/lang/Runtime", "java/lang/System", "java/lang/ClassLoader", "java/lang/Thread",
            "java/lang/ThreadGroup");
    // The interrupt checks the Emirax compiler injects (Groovy's ThreadInterrupt): they only read a flag.
    private static final Set<String> ALLOWED_CALLS = Set.of("java/lang/Thread.currentThread()Ljava/lang/Thread;",
            "java/lang/Thread.isInterrupted()Z", "java/lang/Thread.interrupted()Z");

    @Override
    public List<String> violations(String className, byte[] classFile) {
        Set<String> found = new LinkedHashSet<>();
        try {
            new ClassReader(classFile).accept(new Collector(found), ClassReader.SKIP_FRAMES);
        } catch (RuntimeException e) {
            return List.of(className + ": not a readable class file (" + e.getClass().getSimpleName() + ")");
        }
        List<String> violations = new ArrayList<>();
        for (String f : found) {
            violations.add(className + ": " + f);
        }
        return violations;
    }

    static boolean forbidden(String internalName) {
        if (TYPES.contains(internalName)) {
            return true;
        }
        for (String p : PACKAGES) {
            if (internalName.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** Every type a class names: supertypes, fields, method signatures, instructions, constants, call sites. */
    private static final class Collector extends ClassVisitor {

        private final Set<String> found;

        Collector(Set<String> found) {
            super(Opcodes.ASM9);
            this.found = found;
        }

        void type(Type t) {
            switch (t.getSort()) {
                case Type.ARRAY -> type(t.getElementType());
                case Type.OBJECT -> name(t.getInternalName());
                case Type.METHOD -> {
                    type(t.getReturnType());
                    for (Type a : t.getArgumentTypes()) {
                        type(a);
                    }
                }
                default -> { }
            }
        }

        void name(String internalName) {
            if (internalName != null && internalName.startsWith("[")) {
                type(Type.getType(internalName));
            } else if (internalName != null && forbidden(internalName)) {
                found.add("refers to " + internalName.replace('/', '.'));
            }
        }

        void constant(Object value) {
            if (value instanceof Type t) {
                type(t);
            } else if (value instanceof Handle h) {
                // The owner is what runs; a bootstrap method's descriptor always names the JDK's Lookup.
                name(h.getOwner());
            } else if (value instanceof org.objectweb.asm.ConstantDynamic c) {
                type(Type.getType(c.getDescriptor()));
                constant(c.getBootstrapMethod());
                for (int i = 0; i < c.getBootstrapMethodArgumentCount(); i++) {
                    constant(c.getBootstrapMethodArgument(i));
                }
            }
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            name(superName);
            for (String i : interfaces == null ? new String[0] : interfaces) {
                name(i);
            }
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            type(Type.getType(descriptor));
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            type(Type.getMethodType(descriptor));
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitTypeInsn(int opcode, String type) {
                    name(type);
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String fieldName, String fieldDescriptor) {
                    name(owner);
                    type(Type.getType(fieldDescriptor));
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String methodName, String methodDescriptor,
                                            boolean isInterface) {
                    if (ALLOWED_CALLS.contains(owner + "." + methodName + methodDescriptor)) {
                        return;
                    }
                    name(owner);
                    type(Type.getMethodType(methodDescriptor));
                }

                @Override
                public void visitInvokeDynamicInsn(String callName, String callDescriptor, Handle bootstrap,
                                                   Object... arguments) {
                    type(Type.getMethodType(callDescriptor));
                    constant(bootstrap);
                    for (Object a : arguments) {
                        constant(a);
                    }
                }

                @Override
                public void visitLdcInsn(Object value) {
                    constant(value);
                }

                @Override
                public void visitMultiANewArrayInsn(String arrayDescriptor, int dimensions) {
                    type(Type.getType(arrayDescriptor));
                }

                @Override
                public void visitTryCatchBlock(org.objectweb.asm.Label start, org.objectweb.asm.Label end,
                                               org.objectweb.asm.Label handler, String type) {
                    name(type);
                }

                @Override
                public void visitLocalVariable(String localName, String localDescriptor, String localSignature,
                                               org.objectweb.asm.Label start, org.objectweb.asm.Label end,
                                               int index) {
                    type(Type.getType(localDescriptor));
                }
            };
        }
    }
}
