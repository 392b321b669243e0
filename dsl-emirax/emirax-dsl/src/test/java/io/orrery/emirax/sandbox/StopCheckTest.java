package io.orrery.emirax.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.objectweb.asm.Opcodes.AALOAD;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACONST_NULL;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ANEWARRAY;
import static org.objectweb.asm.Opcodes.ARETURN;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.ATHROW;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.ICONST_0;
import static org.objectweb.asm.Opcodes.ICONST_1;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.NEW;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.RETURN;
import static org.objectweb.asm.Opcodes.V17;

import io.orrery.emirax.CompiledModule;
import io.orrery.emirax.EmiraxCompiler;
import io.orrery.emirax.EmiraxScript;
import io.orrery.emirax.EmiraxSource;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * The server's check that a rule class can be stopped: every loop passes a checkpoint, every handler lets a
 * stop through, every method that may recur opens with a checkpoint, and arrays have a constant size. What the
 * compiler emits passes; hand-written code that would run on past its stop is refused.
 */
class StopCheckTest {

    /** The loops, handlers and methods the compiler emits, each of which the engine must be able to stop. */
    private static final String STOPPABLE = """
            def countDown(n, step = 1) {
                if (n > 0) { return countDown(n - step) }
                try { n = n + 1 } catch (e) { n = 0 } finally { n = 2 }
                try { n = n + 1 } finally { try { n = 3 } catch (e) { n = 4 }; while (n < 5) { n = n + 1 } }
                assert n == 5
                return "n=${n}"
            }
            workflow('w') {
                rule('r') {
                    match { true }
                    action {
                        def i = 0
                        while (i < 10) { i++; if (i == 3) continue; if (i == 8) break }
                        for (int j = 0; j < 3; j++) { state.j = j }
                        for (x in [1, 2]) { try { state.x = x } catch (e) { state.e = e.message } }
                        do { i-- } while (i > 0)
                        def total = 0
                        [1, 2].each { total = total + it }
                        def add = { a, b = [1] -> a }
                        def pick = { wanted -> [1, 2].find { it == wanted } }
                        switch (state.k) { case 1: state.z = 1; break; default: state.z = 3 }
                        outer: while (true) { while (true) { if (i > 5) break outer; i++ } }
                        state.n = countDown(3)
                    }
                }
            }
            """;

    private static final String HAND = "tenant/Hand";
    private static final String CHECKED = "io/orrery/emirax/sandbox/Checked";

    @Test
    void whatTheCompilerEmitsForLoopsHandlersAndMethodsIsAccepted() {
        CompiledModule m = new EmiraxCompiler().compile(List.of(new EmiraxSource("w.groovy", STOPPABLE)));

        assertThat(RuleClassVerifier.verifyAll(m.classes())).isEmpty();
    }

    /** A loop that never reaches a checkpoint spins on its evaluation lane for good: the interrupt is never seen. */
    @Test
    void aLoopWithoutACheckpointIsRefused() {
        byte[] spin = run(mv -> {
            Label loop = label(mv);
            mv.visitJumpInsn(GOTO, loop);
        });
        byte[] allocate = run(mv -> {
            Label loop = label(mv);
            mv.visitTypeInsn(NEW, "groovy/lang/Reference");
            mv.visitInsn(DUP);
            mv.visitMethodInsn(INVOKESPECIAL, "groovy/lang/Reference", "<init>", "()V", false);
            mv.visitInsn(POP);
            mv.visitJumpInsn(GOTO, loop);
        });
        byte[] arrays = run(mv -> {
            Label loop = label(mv);
            mv.visitInsn(ICONST_1);
            mv.visitTypeInsn(ANEWARRAY, "java/lang/Object");
            mv.visitInsn(POP);
            mv.visitJumpInsn(GOTO, loop);
        });

        for (byte[] hand : List.of(spin, allocate, arrays)) {
            assertThat(verify(hand)).extracting(Violation::reason)
                    .anyMatch(r -> r.contains("loop") && r.contains("Checked.checkpoint()"));
        }
    }

    /** Every turn of a loop must pass a checkpoint, not just one path through it. */
    @Test
    void aLoopWithACheckpointOnOnlyOneOfItsPathsIsRefused() {
        byte[] hand = run(mv -> {
            Label loop = label(mv);
            Label skip = new Label();
            mv.visitInsn(ACONST_NULL);
            mv.visitMethodInsn(INVOKESTATIC, CHECKED, "truth", "(Ljava/lang/Object;)Z", false);
            mv.visitJumpInsn(IFEQ, skip);
            checkpoint(mv);
            mv.visitLabel(skip);
            mv.visitJumpInsn(GOTO, loop);
        });

        assertThat(verify(hand)).extracting(Violation::reason).anyMatch(r -> r.contains("loop"));
    }

    /** The compiler's while loop: the checkpoint opens the body, after the condition, not at the jump's target. */
    @Test
    void aLoopPassingACheckpointOnEveryTurnIsAccepted() {
        byte[] hand = run(mv -> {
            Label loop = label(mv);
            Label done = new Label();
            mv.visitInsn(ACONST_NULL);
            mv.visitMethodInsn(INVOKESTATIC, CHECKED, "truth", "(Ljava/lang/Object;)Z", false);
            mv.visitJumpInsn(IFEQ, done);
            checkpoint(mv);
            mv.visitTypeInsn(NEW, "groovy/lang/Reference");
            mv.visitInsn(DUP);
            mv.visitMethodInsn(INVOKESPECIAL, "groovy/lang/Reference", "<init>", "()V", false);
            mv.visitInsn(POP);
            mv.visitJumpInsn(GOTO, loop);
            mv.visitLabel(done);
            mv.visitInsn(ACONST_NULL);
            mv.visitInsn(ARETURN);
        });

        assertThat(verify(hand)).isEmpty();
    }

    /** The checkpoint throws on every turn once the rule is stopped; a handler that swallows it loops on. */
    @Test
    void aCatchAllHandlerSwallowingTheStopOfACheckpointAndLoopingIsRefused() {
        byte[] hand = run(mv -> {
            Label loop = label(mv);
            Label start = new Label();
            Label end = new Label();
            Label handler = new Label();
            mv.visitTryCatchBlock(start, end, handler, null);
            mv.visitLabel(start);
            checkpoint(mv);
            mv.visitLabel(end);
            mv.visitJumpInsn(GOTO, loop);
            mv.visitLabel(handler);
            mv.visitInsn(POP);
            mv.visitJumpInsn(GOTO, loop);
        });

        assertThat(verify(hand)).extracting(Violation::reason).anyMatch(r -> r.contains("loop"));
    }

    @Test
    void aCatchAllHandlerSwallowingTheStopAndReturningIsRefused() {
        byte[] hand = run(mv -> {
            Label start = new Label();
            Label end = new Label();
            Label handler = new Label();
            mv.visitTryCatchBlock(start, end, handler, null);
            mv.visitLabel(start);
            checkpoint(mv);
            mv.visitLabel(end);
            mv.visitInsn(ACONST_NULL);
            mv.visitInsn(ARETURN);
            mv.visitLabel(handler);
            mv.visitInsn(POP);
            mv.visitInsn(ACONST_NULL);
            mv.visitInsn(ARETURN);
        });

        assertThat(verify(hand)).extracting(Violation::reason)
                .anyMatch(r -> r.contains("Checked.rethrowIfStopped"));
    }

    /** What the compiler emits: a catch block that rethrows a stop first, a finally block that rethrows at its end. */
    @Test
    void handlersThatRethrowAStopAreAccepted() {
        byte[] catchBlock = run(mv -> {
            Label loop = label(mv);
            Label start = new Label();
            Label end = new Label();
            Label handler = new Label();
            mv.visitTryCatchBlock(start, end, handler, "java/lang/Exception");
            checkpoint(mv);
            mv.visitLabel(start);
            checkpoint(mv);
            mv.visitLabel(end);
            mv.visitJumpInsn(GOTO, loop);
            mv.visitLabel(handler);
            mv.visitVarInsn(ASTORE, 1);
            mv.visitVarInsn(ALOAD, 1);
            mv.visitMethodInsn(INVOKESTATIC, CHECKED, "rethrowIfStopped", "(Ljava/lang/Throwable;)V", false);
            mv.visitJumpInsn(GOTO, loop);
        });
        byte[] finallyBlock = run(mv -> {
            Label start = new Label();
            Label end = new Label();
            Label handler = new Label();
            mv.visitTryCatchBlock(start, end, handler, null);
            mv.visitLabel(start);
            checkpoint(mv);
            mv.visitLabel(end);
            mv.visitInsn(ACONST_NULL);
            mv.visitInsn(ARETURN);
            mv.visitLabel(handler);
            mv.visitVarInsn(ASTORE, 1);
            checkpoint(mv);
            mv.visitVarInsn(ALOAD, 1);
            mv.visitInsn(ATHROW);
        });

        assertThat(verify(catchBlock)).isEmpty();
        assertThat(verify(finallyBlock)).isEmpty();
    }

    /**
     * Recursion needs no backward jump: {@code f(n) { if (n) { f(n - 1); f(n - 1) } }} runs 2^n calls. A method that
     * calls rule code must open with a checkpoint no handler covers, so after a stop every such call throws at once.
     */
    @Test
    void aMethodCallingItselfWithoutACheckpointAtItsEntryIsRefused() {
        Consumer<MethodVisitor> twice = mv -> {
            for (int i = 0; i < 2; i++) {
                mv.visitVarInsn(ALOAD, 0);
                mv.visitMethodInsn(INVOKEVIRTUAL, HAND, "f", "()Ljava/lang/Object;", false);
                mv.visitInsn(POP);
            }
            mv.visitInsn(ACONST_NULL);
            mv.visitInsn(ARETURN);
        };
        Consumer<MethodVisitor> guarded = mv -> {
            checkpoint(mv);
            twice.accept(mv);
        };
        Consumer<MethodVisitor> caughtAtEntry = mv -> {
            Label start = new Label();
            Label end = new Label();
            Label handler = new Label();
            mv.visitTryCatchBlock(start, end, handler, null);
            mv.visitLabel(start);
            checkpoint(mv);
            mv.visitLabel(end);
            mv.visitInsn(ACONST_NULL);
            mv.visitInsn(ARETURN);
            mv.visitLabel(handler);
            mv.visitVarInsn(ASTORE, 1);
            twice.accept(mv);
        };

        assertThat(verify(handWritten(method("f", twice)))).extracting(Violation::reference)
                .contains(HAND + ".f()Ljava/lang/Object;");
        assertThat(verify(handWritten(method("f", caughtAtEntry)))).extracting(Violation::reference)
                .contains(HAND + ".f()Ljava/lang/Object;");
        assertThat(verify(handWritten(method("f", guarded)))).isEmpty();
    }

    @Test
    void anArrayOfASizeComputedAtRunTimeIsRefused() {
        byte[] computed = run(mv -> {
            mv.visitInsn(ICONST_0);
            mv.visitTypeInsn(ANEWARRAY, "java/lang/Object");
            mv.visitInsn(ICONST_0);
            mv.visitInsn(AALOAD);
            mv.visitMethodInsn(INVOKESTATIC, CHECKED, "truth", "(Ljava/lang/Object;)Z", false);
            mv.visitTypeInsn(ANEWARRAY, "java/lang/Object");
            mv.visitInsn(ARETURN);
        });
        byte[] constant = run(mv -> {
            mv.visitInsn(ICONST_1);
            mv.visitTypeInsn(ANEWARRAY, "java/lang/Object");
            mv.visitInsn(ARETURN);
        });

        assertThat(verify(computed)).extracting(Violation::reference).containsExactly("new java/lang/Object[]");
        assertThat(verify(constant)).isEmpty();
    }

    /** {@code tenant.Hand}, a script class with {@code run()} as {@code body} writes it after its entry checkpoint. */
    private static byte[] run(Consumer<MethodVisitor> body) {
        return handWritten(method("run", mv -> {
            checkpoint(mv);
            body.accept(mv);
        }));
    }

    private static Consumer<ClassWriter> method(String name, Consumer<MethodVisitor> code) {
        return cw -> {
            MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, name, "()Ljava/lang/Object;", null, null);
            mv.visitCode();
            code.accept(mv);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        };
    }

    /** A class file no compiler wrote: what a tenant may put into a bundle. */
    private static byte[] handWritten(Consumer<ClassWriter> methods) {
        var cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V17, ACC_PUBLIC, HAND, null, "io/orrery/emirax/EmiraxScript", null);
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "io/orrery/emirax/EmiraxScript", "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        methods.accept(cw);
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static Label label(MethodVisitor mv) {
        Label l = new Label();
        mv.visitLabel(l);
        return l;
    }

    private static void checkpoint(MethodVisitor mv) {
        mv.visitMethodInsn(INVOKESTATIC, CHECKED, "checkpoint", "()V", false);
    }

    private static List<Violation> verify(byte[] classFile) {
        return RuleClassVerifier.verify("tenant.Hand", classFile);
    }

}
