package io.orrery.engine.internal.verify;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Finds the closures of a compiled script's top-level {@code function('name') { … }} blocks. A function runs in the
 * tenant's function host, never in the server, so its code is not held to the rules' allow-list; the server only
 * instantiates its closure. Only the exact shape the compiler emits counts — a closure created inline as the last
 * argument of a {@code function} call in the script's {@code run()} — so a closure kept in a variable, or created
 * anywhere else, is checked as rule code.
 */
final class FunctionBlocks {

    private FunctionBlocks() {
    }

    /** Internal names of the function closures declared by the script class. */
    static Set<String> of(byte[] scriptClass) {
        Set<String> found = new HashSet<>();
        try {
            ClassReader reader = new ClassReader(scriptClass);
            String owner = reader.getClassName();
            reader.accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    return "run".equals(name) && "()Ljava/lang/Object;".equals(descriptor)
                            ? new InlineClosures(owner, found) : null;
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        } catch (RuntimeException e) {
            // An unreadable class file is the class check's to report.
        }
        return found;
    }

    /** NEW closure, DUP, ALOAD 0, ALOAD 0, INVOKESPECIAL closure.<init>, then the call named {@code function}. */
    private static final class InlineClosures extends MethodVisitor {

        private final String owner;
        private final Set<String> found;
        private String closure;
        private int step;

        InlineClosures(String owner, Set<String> found) {
            super(Opcodes.ASM9);
            this.owner = owner;
            this.found = found;
        }

        private void reset() {
            closure = null;
            step = 0;
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            reset();
            if (opcode == Opcodes.NEW && type.startsWith(owner + "$")) {
                closure = type;
                step = 1;
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.DUP && step == 1) {
                step = 2;
            } else {
                reset();
            }
        }

        @Override
        public void visitVarInsn(int opcode, int varIndex) {
            if (opcode == Opcodes.ALOAD && varIndex == 0 && (step == 2 || step == 3)) {
                step++;
            } else {
                reset();
            }
        }

        @Override
        public void visitMethodInsn(int opcode, String methodOwner, String name, String descriptor,
                                    boolean isInterface) {
            if (step == 4 && opcode == Opcodes.INVOKESPECIAL && methodOwner.equals(closure) && name.equals("<init>")) {
                step = 5;
            } else if (step == 5 && name.equals("function") && methodOwner.equals(owner)) {
                found.add(closure);
                reset();
            } else {
                reset();
            }
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            if (step == 5 && arguments.length > 0 && "function".equals(arguments[0])
                    && bootstrap.getOwner().equals("org/codehaus/groovy/vmplugin/v8/IndyInterface")) {
                found.add(closure);
            }
            reset();
        }

        @Override
        public void visitFieldInsn(int opcode, String fieldOwner, String name, String descriptor) {
            reset();
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            reset();
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            reset();
        }

        @Override
        public void visitLdcInsn(Object value) {
            reset();
        }

        @Override
        public void visitIincInsn(int varIndex, int increment) {
            reset();
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            reset();
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            reset();
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            reset();
        }
    }
}
