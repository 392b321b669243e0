package io.orrery.emirax.internal.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * The control flow of one method, instruction by instruction, for {@link StopCheck}: jumps, switches, falling
 * through, and an edge from every instruction a handler covers to that handler. A class file may hold thousands of
 * handlers each covering thousands of instructions, so handler edges go through a segment tree over the instruction
 * indices: an instruction leads to the tree nodes above it, a tree node to the handlers whose range holds it
 * wholly. The graph stays linear in the size of the method; a path between instructions is the same as without it.
 * Node {@code leaves + i} is instruction {@code i}; nodes {@code 1 .. leaves - 1} are the tree's.
 */
final class ControlFlow {

    private final InsnList code;
    private final int size;
    private final int leaves;
    private final boolean covered;
    /** By tree node (or instruction node): the handlers entered from it. */
    private final int[][] handlers;

    ControlFlow(MethodNode method) {
        code = method.instructions;
        size = code.size();
        int p = 1;
        while (p < size) {
            p <<= 1;
        }
        leaves = p;
        covered = !method.tryCatchBlocks.isEmpty();
        handlers = new int[2 * leaves][];
        int[] counts = new int[2 * leaves];
        for (TryCatchBlockNode t : method.tryCatchBlocks) {
            ranges(t, node -> counts[node]++);
        }
        for (TryCatchBlockNode t : method.tryCatchBlocks) {
            int handler = code.indexOf(t.handler);
            ranges(t, node -> {
                if (handlers[node] == null) {
                    handlers[node] = new int[counts[node]];
                    counts[node] = 0;
                }
                handlers[node][counts[node]++] = handler;
            });
        }
    }

    /** The tree nodes that together hold exactly the instructions {@code t} covers. */
    private void ranges(TryCatchBlockNode t, IntConsumer node) {
        int lo = code.indexOf(t.start) + leaves;
        int hi = code.indexOf(t.end) + leaves;
        while (lo < hi) {
            if ((lo & 1) == 1) {
                node.accept(lo++);
            }
            if ((hi & 1) == 1) {
                node.accept(--hi);
            }
            lo >>= 1;
            hi >>= 1;
        }
    }

    static boolean isCheckpoint(AbstractInsnNode insn) {
        return insn.getOpcode() == Opcodes.INVOKESTATIC
                && insn instanceof org.objectweb.asm.tree.MethodInsnNode call
                && call.owner.equals("io/orrery/emirax/sandbox/Checked") && call.name.equals("checkpoint")
                && call.desc.equals("()V");
    }

    /** Where control goes after instruction {@code i} completes normally: jumps, switches, falling through. */
    int[] next(int i) {
        AbstractInsnNode insn = code.get(i);
        int opcode = insn.getOpcode();
        if (insn instanceof JumpInsnNode jump) {
            int target = code.indexOf(jump.label);
            return opcode == Opcodes.GOTO || i + 1 >= size ? new int[] {target} : new int[] {target, i + 1};
        }
        if (insn instanceof TableSwitchInsnNode s) {
            return targets(s.dflt, s.labels);
        }
        if (insn instanceof LookupSwitchInsnNode s) {
            return targets(s.dflt, s.labels);
        }
        return ends(opcode) || i + 1 >= size ? new int[0] : new int[] {i + 1};
    }

    private static boolean ends(int opcode) {
        return opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN || opcode == Opcodes.ATHROW
                || opcode == Opcodes.RET;
    }

    /** Whether control always goes on to the next instruction: no jump, switch, return, throw or dynamic call. */
    static boolean fallsThrough(AbstractInsnNode insn) {
        return !(insn instanceof JumpInsnNode || insn instanceof TableSwitchInsnNode
                || insn instanceof LookupSwitchInsnNode || ends(insn.getOpcode())
                || insn.getOpcode() == Opcodes.INVOKEDYNAMIC);
    }

    private int[] targets(LabelNode dflt, List<LabelNode> labels) {
        int[] out = new int[labels.size() + 1];
        out[0] = code.indexOf(dflt);
        for (int k = 0; k < labels.size(); k++) {
            out[k + 1] = code.indexOf(labels.get(k));
        }
        return out;
    }

    /**
     * An instruction on a cycle reachable from the method's entry that does not pass the normal completion of a
     * checkpoint call, or -1 when every cycle does. A checkpoint that throws leads only to handlers.
     */
    int loopWithoutCheckpoint() {
        if (size == 0) {
            return -1;
        }
        boolean[] reachable = new boolean[2 * leaves];
        int[] todo = new int[2 * leaves];
        int n = 0;
        reachable[leaves] = true;
        todo[n++] = leaves;
        while (n > 0) {
            for (int w : successors(todo[--n], false)) {
                if (!reachable[w]) {
                    reachable[w] = true;
                    todo[n++] = w;
                }
            }
        }
        byte[] state = new byte[2 * leaves];    // 0 unseen, 1 on the path, 2 done
        int[] depthOf = new int[2 * leaves];
        int[] path = new int[2 * leaves];
        for (int root = 1; root < 2 * leaves; root++) {
            if (reachable[root] && state[root] == 0) {
                int at = cycleFrom(root, state, depthOf, path);
                if (at >= 0) {
                    return at;
                }
            }
        }
        return -1;
    }

    /** Depth first from {@code root} through all but checkpoints' normal completion; an instruction on a cycle. */
    private int cycleFrom(int root, byte[] state, int[] depthOf, int[] path) {
        List<int[]> successors = new ArrayList<>();
        List<Integer> position = new ArrayList<>();
        int depth = 0;
        path[0] = root;
        depthOf[root] = 0;
        successors.add(successors(root, true));
        position.add(0);
        state[root] = 1;
        while (depth >= 0) {
            int[] out = successors.get(depth);
            int next = position.get(depth);
            if (next == out.length) {
                state[path[depth]] = 2;
                successors.remove(depth);
                position.remove(depth);
                depth--;
                continue;
            }
            position.set(depth, next + 1);
            int w = out[next];
            if (state[w] == 1) {
                for (int d = depthOf[w]; d <= depth; d++) {
                    if (path[d] >= leaves) {
                        return path[d] - leaves;
                    }
                }
            } else if (state[w] == 0) {
                state[w] = 1;
                path[++depth] = w;
                depthOf[w] = depth;
                successors.add(successors(w, true));
                position.add(0);
            }
        }
        return -1;
    }

    /** With {@code cut}, a checkpoint call has no normal successor: a path through it is no loop of concern. */
    private int[] successors(int node, boolean cut) {
        int[] normal = new int[0];
        if (node >= leaves) {
            int i = node - leaves;
            if (!cut || !isCheckpoint(code.get(i))) {
                normal = next(i);
                for (int k = 0; k < normal.length; k++) {
                    normal[k] += leaves;
                }
            }
        }
        int[] entered = handlers[node] == null ? new int[0] : handlers[node];
        boolean up = covered && node > 1;
        int[] out = new int[normal.length + entered.length + (up ? 1 : 0)];
        System.arraycopy(normal, 0, out, 0, normal.length);
        for (int k = 0; k < entered.length; k++) {
            out[normal.length + k] = entered[k] + leaves;
        }
        if (up) {
            out[out.length - 1] = node >> 1;
        }
        return out;
    }

    /** For each instruction: whether a return is reachable from it without an exception being thrown. */
    boolean[] returning() {
        int[] count = new int[size + 1];
        int[][] next = new int[size][];
        for (int i = 0; i < size; i++) {
            next[i] = next(i);
            for (int j : next[i]) {
                count[j + 1]++;
            }
        }
        for (int i = 0; i < size; i++) {
            count[i + 1] += count[i];
        }
        int[] from = new int[count[size]];
        int[] fill = count.clone();
        for (int i = 0; i < size; i++) {
            for (int j : next[i]) {
                from[fill[j]++] = i;
            }
        }
        boolean[] returning = new boolean[size];
        int[] todo = new int[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            int opcode = code.get(i).getOpcode();
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                returning[i] = true;
                todo[n++] = i;
            }
        }
        while (n > 0) {
            int j = todo[--n];
            for (int k = count[j]; k < count[j + 1]; k++) {
                if (!returning[from[k]]) {
                    returning[from[k]] = true;
                    todo[n++] = from[k];
                }
            }
        }
        return returning;
    }
}
