package io.orrery.emirax.internal.sandbox;

import java.util.HashSet;
import java.util.Set;
import java.util.function.BiConsumer;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Whether the engine can stop a method of a rule class. It stops a rule by interrupting its thread, and
 * {@link RuleBudget} stops it past its memory or time; compiled code notices either only at
 * {@code Checked.checkpoint()}, which from then on throws at every call, and in {@code Checked.rethrowIfStopped},
 * which from then on rethrows whatever it is given. A method must therefore:
 * <ul>
 * <li>complete a checkpoint call on every turn of every loop, jumps and handlers alike: a stopped rule then runs no
 * loop twice (a checkpoint that threw leads to a handler, not round the loop);</li>
 * <li>start every handler by passing what it caught to {@code rethrowIfStopped}, as the compiler's catch blocks do,
 * or never return from the handler on (a finally block rethrows at its end; a jump back round a loop meets a
 * checkpoint): a stop is then never turned into a normal return;</li>
 * <li>open with a checkpoint outside every handler, as the compiler's methods and closures do, or call only such
 * methods of its own class and Groovy's plumbing ({@link BytecodeAllowList#PLAIN}), as Groovy's generated
 * constructors, bridges and accessors do: recursion needs no loop, and a stopped rule's calls then throw at once;</li>
 * <li>create arrays of a size given as a constant ({@code iconst}, {@code bipush}, {@code sipush}: at most 32767
 * elements), as the compiler does for call arguments; between checkpoints, {@link RuleBudget} sees nothing.</li>
 * </ul>
 * Once stopped, each method runs through each instruction at most once and every call it makes ends at once or is
 * such a method, so the rule ends.
 */
final class StopCheck {

    private static final String CHECKED = "io/orrery/emirax/sandbox/Checked";
    private static final String LOOP = "a loop must call Checked.checkpoint() on every turn, else the engine cannot "
            + "stop it";
    private static final String HANDLER = "a handler must first pass what it caught to Checked.rethrowIfStopped, or "
            + "end by throwing: this one can return, swallowing the stop of a rule";
    private static final String PLAIN = "a method not opening with Checked.checkpoint() (outside any handler) may "
            + "call only its own class's methods that do and Groovy's plumbing, else recursion cannot be stopped";

    private final ClassNode owner;
    private final MethodNode method;
    private final InsnList code;
    private final BiConsumer<String, String> refuse;

    private StopCheck(ClassNode owner, MethodNode method, BiConsumer<String, String> refuse) {
        this.owner = owner;
        this.method = method;
        this.code = method.instructions;
        this.refuse = refuse;
    }

    /** The methods of {@code owner} that open with a checkpoint no handler covers, by name and descriptor. */
    static Set<String> guarded(ClassNode owner) {
        Set<String> guarded = new HashSet<>();
        for (MethodNode m : owner.methods) {
            if (opensWithCheckpoint(m)) {
                guarded.add(m.name + m.desc);
            }
        }
        return guarded;
    }

    /** Checks one method with code; {@code refuse} takes what is refused and why. */
    static void check(ClassNode owner, MethodNode method, Set<String> guarded, BiConsumer<String, String> refuse) {
        if (method.instructions.size() == 0) {
            return;
        }
        var check = new StopCheck(owner, method, refuse);
        if (check.subroutines()) {
            return; // no control flow to speak of
        }
        check.loops();
        check.handlers();
        if (!guarded.contains(method.name + method.desc)) {
            check.calls(guarded);
        }
        check.arrays();
    }

    /**
     * A checkpoint no handler covers, before any jump and any call but {@link BytecodeAllowList#PLAIN} ones: Groovy
     * boxes a parameter an inner closure shares into a {@code Reference} before the checkpoint its body opens with.
     */
    private static boolean opensWithCheckpoint(MethodNode m) {
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (ControlFlow.isCheckpoint(insn)) {
                int at = m.instructions.indexOf(insn);
                return m.tryCatchBlocks.stream().allMatch(t -> m.instructions.indexOf(t.start) > at);
            }
            boolean on = insn instanceof MethodInsnNode call ? BytecodeAllowList.plain(call.owner, call.name)
                    : insn.getOpcode() < 0 || ControlFlow.fallsThrough(insn);
            if (!on) {
                return false;
            }
        }
        return false;
    }

    private boolean subroutines() {
        for (AbstractInsnNode insn : code) {
            if (insn.getOpcode() == Opcodes.JSR || insn.getOpcode() == Opcodes.RET) {
                refuse.accept("jsr/ret", "subroutines are not available to rules (the compiler emits none)");
                return true;
            }
        }
        return false;
    }

    private void loops() {
        int at = new ControlFlow(method).loopWithoutCheckpoint();
        if (at >= 0) {
            refuse.accept("loop at " + where(at), LOOP);
        }
    }

    private void handlers() {
        boolean[] returning = null;
        for (TryCatchBlockNode t : method.tryCatchBlocks) {
            if (rethrowsStopsFirst(t.handler)) {
                continue;
            }
            if (returning == null) {
                returning = new ControlFlow(method).returning();
            }
            int at = code.indexOf(t.handler);
            if (returning[at]) {
                refuse.accept("catch (" + (t.type == null ? "anything" : t.type) + ") at " + where(at), HANDLER);
            }
        }
    }

    /** {@code astore n; aload n; invokestatic rethrowIfStopped}, or {@code dup; invokestatic rethrowIfStopped}. */
    private static boolean rethrowsStopsFirst(LabelNode handler) {
        AbstractInsnNode first = real(handler);
        AbstractInsnNode second = first == null ? null : real(first.getNext());
        if (first != null && first.getOpcode() == Opcodes.DUP) {
            return isRethrow(second);
        }
        if (first == null || first.getOpcode() != Opcodes.ASTORE || second == null
                || second.getOpcode() != Opcodes.ALOAD || ((VarInsnNode) first).var != ((VarInsnNode) second).var) {
            return false;
        }
        return isRethrow(real(second.getNext()));
    }

    private static boolean isRethrow(AbstractInsnNode insn) {
        return insn instanceof MethodInsnNode call && call.getOpcode() == Opcodes.INVOKESTATIC
                && call.owner.equals(CHECKED) && call.name.equals("rethrowIfStopped")
                && call.desc.equals("(Ljava/lang/Throwable;)V");
    }

    /** {@code insn} or the first instruction after it, skipping labels, line numbers and frames. */
    private static AbstractInsnNode real(AbstractInsnNode insn) {
        while (insn != null && insn.getOpcode() < 0) {
            insn = insn.getNext();
        }
        return insn;
    }

    private void calls(Set<String> guarded) {
        boolean script = "io/orrery/emirax/EmiraxScript".equals(owner.superName);
        if (script && method.name.equals("run") && method.desc.equals("()Ljava/lang/Object;")) {
            refuse.accept("run()", "a script's run() must open with Checked.checkpoint()");
        }
        for (AbstractInsnNode insn : code) {
            if (insn instanceof MethodInsnNode call) {
                boolean ownGuarded = call.owner.equals(owner.name) && guarded.contains(call.name + call.desc);
                // runs the script's run(), which opens with a checkpoint (checked above, for every script class)
                boolean runsScript = script && call.owner.equals("org/codehaus/groovy/runtime/InvokerHelper")
                        && call.name.equals("runScript");
                if (!ownGuarded && !runsScript && !BytecodeAllowList.plain(call.owner, call.name)) {
                    refuse.accept(call.owner + "." + call.name + call.desc, PLAIN);
                }
            }
        }
    }

    private void arrays() {
        Set<LabelNode> targets = null;
        for (AbstractInsnNode insn : code) {
            int opcode = insn.getOpcode();
            if (opcode != Opcodes.ANEWARRAY && opcode != Opcodes.NEWARRAY) {
                continue;
            }
            if (targets == null) {
                targets = targets();
            }
            AbstractInsnNode size = insn.getPrevious();
            while (size != null && size.getOpcode() < 0 && !targets.contains(size)) {
                size = size.getPrevious();
            }
            boolean constant = size != null && (size.getOpcode() >= Opcodes.ICONST_M1
                    && size.getOpcode() <= Opcodes.ICONST_5 || size instanceof IntInsnNode push
                    && (push.getOpcode() == Opcodes.BIPUSH || push.getOpcode() == Opcodes.SIPUSH));
            if (!constant) {
                String type = insn instanceof TypeInsnNode t ? t.desc : "a primitive";
                refuse.accept("new " + type + "[]", "rules create arrays of a constant size only");
            }
        }
    }

    /** The labels control can reach other than by falling through: jump, switch and handler targets. */
    private Set<LabelNode> targets() {
        Set<LabelNode> targets = new HashSet<>();
        for (AbstractInsnNode insn : code) {
            if (insn instanceof JumpInsnNode j) {
                targets.add(j.label);
            } else if (insn instanceof TableSwitchInsnNode s) {
                targets.add(s.dflt);
                targets.addAll(s.labels);
            } else if (insn instanceof LookupSwitchInsnNode s) {
                targets.add(s.dflt);
                targets.addAll(s.labels);
            }
        }
        method.tryCatchBlocks.forEach(t -> targets.add(t.handler));
        return targets;
    }

    /** The source line of instruction {@code at}, when the class file tells, else its index. */
    private String where(int at) {
        for (AbstractInsnNode insn = code.get(at); insn != null; insn = insn.getPrevious()) {
            if (insn instanceof LineNumberNode line) {
                return "line " + line.line;
            }
        }
        return "instruction " + at;
    }
}
