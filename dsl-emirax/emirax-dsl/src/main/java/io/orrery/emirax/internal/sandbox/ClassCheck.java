package io.orrery.emirax.internal.sandbox;

import io.orrery.emirax.sandbox.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;

/** One class file against {@link BytecodeAllowList}: the work behind {@code RuleClassVerifier}. */
public final class ClassCheck {

    /** Packages of the platform: a class named into one would pass off the platform's members as its own. */
    private static final List<String> PLATFORM_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "groovy.", "groovyjarjar", "org.codehaus.groovy.", "org.apache.", "org.osgi.", "org.objectweb.",
            "io.orrery.");

    private static final Set<String> GENERATED_STATICS = Set.of("$staticClassInfo", "__$stMC");

    private final String className;
    private final String internalName;
    private final String script;
    private final Set<String> bundle;
    private final List<Violation> violations = new ArrayList<>();
    private final Set<String> referenced = new java.util.TreeSet<>();
    /** This class's own methods, by name and descriptor. */
    private final Set<String> declared = new java.util.HashSet<>();
    private String method;

    private ClassCheck(String className, Set<String> bundle) {
        this.className = className;
        this.internalName = className.replace('.', '/');
        int dollar = internalName.indexOf('$');
        this.script = dollar < 0 ? internalName : internalName.substring(0, dollar);
        this.bundle = bundle;
    }

    /** @param bundle binary names of the classes verified together, or null when verifying one class alone */
    public static List<Violation> check(String className, byte[] classFile, Set<String> bundle) {
        var check = new ClassCheck(className, bundle);
        check.run(classFile);
        return check.violations;
    }

    /** The script class and, transitively, every class of the same script its code references. */
    public static List<Violation> checkReachable(ClassLoader loader, String scriptClass) {
        List<Violation> all = new ArrayList<>();
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(List.of(scriptClass));
        Set<String> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!seen.add(name)) {
                continue;
            }
            byte[] bytes = read(loader, name);
            if (bytes == null) {
                all.add(new Violation(name, null, name, "its class file cannot be read"));
                continue;
            }
            var check = new ClassCheck(name, null);
            check.run(bytes);
            all.addAll(check.violations);
            check.referenced.forEach(r -> todo.add(r.replace('/', '.')));
        }
        return all;
    }

    private static byte[] read(ClassLoader loader, String name) {
        try (var in = loader.getResourceAsStream(name.replace('.', '/') + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private void run(byte[] classFile) {
        if (FunctionSplit.isFunctionClass(className)) {
            refuse(className, "function classes run in function hosts; the server never loads them");
            return;
        }
        for (String p : PLATFORM_PACKAGES) {
            if (className.startsWith(p)) {
                refuse(className, "a rule class lives in the tenant's own package, not in " + p + "*");
                return;
            }
        }
        ClassNode node = new ClassNode();
        try {
            new ClassReader(classFile).accept(node, ClassReader.SKIP_FRAMES);
        } catch (RuntimeException e) {
            refuse("class file", "it is not a readable class file: " + e);
            return;
        }
        if (!internalName.equals(node.name)) {
            refuse(node.name, "the class file holds " + node.name.replace('/', '.') + ", not " + className);
            return;
        }
        checkShape(node);
        node.methods.forEach(m -> declared.add(m.name + m.desc));
        for (FieldNode f : node.fields) {
            checkField(f);
        }
        Set<String> guarded = StopCheck.guarded(node);
        for (MethodNode m : node.methods) {
            method = m.name + m.desc;
            checkMethod(m);
            if (!m.name.equals("<clinit>")) {
                StopCheck.check(node, m, guarded, this::refuse);
            }
        }
    }

    private void checkShape(ClassNode node) {
        int forbidden = Opcodes.ACC_INTERFACE | Opcodes.ACC_ANNOTATION | Opcodes.ACC_ENUM | Opcodes.ACC_MODULE;
        if ((node.access & forbidden) != 0) {
            refuse("class kind", "interfaces, annotations, enums and modules are not rule classes");
        }
        if (!BytecodeAllowList.SUPERCLASSES.contains(node.superName)) {
            refuse(String.valueOf(node.superName), "a rule class extends EmiraxScript or Closure only");
        }
        for (String i : node.interfaces) {
            if (!BytecodeAllowList.INTERFACES.contains(i)) {
                refuse(i, "a rule class implements no interface but Groovy's own markers");
            }
        }
    }

    private void checkField(FieldNode f) {
        method = null;
        if ((f.access & Opcodes.ACC_STATIC) != 0 && !GENERATED_STATICS.contains(f.name)) {
            refuse(f.name, "rule classes have no static fields of their own (state shared by every instance)");
        }
        requireType(Type.getType(f.desc).getDescriptor(), "field type");
    }

    private void checkMethod(MethodNode m) {
        if ((m.access & Opcodes.ACC_NATIVE) != 0) {
            refuse(m.name, "native methods are not available to rules");
        }
        if (m.name.equals("<clinit>")) {
            refuse("<clinit>", "static initializers are not available to rules (the compiler emits none)");
            return;
        }
        for (TryCatchBlockNode t : m.tryCatchBlocks) {
            if (t.type != null && !RuleTypes.isCatchable(t.type.replace('/', '.'))) {
                refuse(t.type, "rules may not catch " + t.type.replace('/', '.'));
            }
        }
        for (AbstractInsnNode insn : m.instructions) {
            checkInstruction(m, insn);
        }
    }

    private void checkInstruction(MethodNode m, AbstractInsnNode insn) {
        switch (insn.getType()) {
            case AbstractInsnNode.INVOKE_DYNAMIC_INSN ->
                    refuse("invokedynamic", "rule classes hold no dynamic call sites (compile with the Emirax compiler)");
            case AbstractInsnNode.METHOD_INSN -> checkCall(m, (MethodInsnNode) insn);
            case AbstractInsnNode.FIELD_INSN -> {
                var field = (FieldInsnNode) insn;
                if (!own(field.owner)) {
                    refuse(field.owner + "." + field.name, "rules may not use this field");
                }
            }
            case AbstractInsnNode.TYPE_INSN -> checkType((TypeInsnNode) insn);
            case AbstractInsnNode.LDC_INSN -> checkConstant(((LdcInsnNode) insn).cst);
            case AbstractInsnNode.MULTIANEWARRAY_INSN -> refuse("multianewarray", "arrays are not available to rules");
            default -> {
                if (insn.getOpcode() == Opcodes.MONITORENTER || insn.getOpcode() == Opcodes.MONITOREXIT) {
                    refuse("monitor", "synchronization is not available to rules");
                }
            }
        }
    }

    /**
     * A call on a platform class must be allowed; one named on the tenant's own class too, unless that class runs
     * its own method: what it does not declare, it inherits from the platform ({@link InheritedMethods}).
     */
    private void checkCall(MethodNode m, MethodInsnNode call) {
        if (!own(call.owner)) {
            if (!BytecodeAllowList.method(call.owner, call.name, m.name)) {
                refuse(call.owner + "." + call.name + call.desc, "rules may not call this");
            }
            return;
        }
        if (call.name.equals("<init>") || call.owner.equals(internalName) && declared.contains(call.name + call.desc)) {
            return;     // constructors are never inherited
        }
        // Another class of the script may declare it (an override) or not: checked as if it did not.
        for (String platform : InheritedMethods.declaring(call.name, call.desc)) {
            if (!BytecodeAllowList.method(platform, call.name, m.name)) {
                refuse(platform + "." + call.name + call.desc + " (called on " + call.owner + ")",
                        "rules may not call this");
            }
        }
    }

    private void checkType(TypeInsnNode insn) {
        if (own(insn.desc)) {
            return;
        }
        switch (insn.getOpcode()) {
            case Opcodes.NEW -> {
                if (!BytecodeAllowList.NEW.contains(insn.desc)) {
                    refuse("new " + insn.desc, "rules may not create this");
                }
            }
            case Opcodes.ANEWARRAY -> {
                if (!insn.desc.equals("java/lang/Object") && !insn.desc.equals("java/lang/String")) {
                    refuse("new " + insn.desc + "[]", "arrays of this type are not available to rules");
                }
            }
            default -> requireType(insn.desc.startsWith("[") ? insn.desc : "L" + insn.desc + ";", "type");
        }
    }

    private void checkConstant(Object constant) {
        if (constant instanceof Type t) {
            if (t.getSort() == Type.METHOD) {
                refuse("method type constant", "method type constants are not available to rules");
            } else if (!own(t.getInternalName())) {
                requireType(t.getDescriptor(), "class constant");
            }
        } else if (constant instanceof Handle || constant instanceof ConstantDynamic) {
            refuse(String.valueOf(constant), "method handles and dynamic constants are not available to rules");
        }
    }

    private void requireType(String descriptor, String what) {
        Type t = Type.getType(descriptor);
        String element = t.getSort() == Type.ARRAY ? t.getElementType().getDescriptor() : descriptor;
        Type e = Type.getType(element);
        if (e.getSort() == Type.OBJECT && own(e.getInternalName())) {
            return;
        }
        if (!BytecodeAllowList.type(element)) {
            refuse(descriptor, "rules may not use this " + what);
        }
    }

    /** A class of the same script (its closures), never function code; when verifying a set, one of the set. */
    private boolean own(String owner) {
        boolean sameScript = owner.equals(script) || owner.startsWith(script + "$");
        if (!sameScript || FunctionSplit.isFunctionClass(owner)) {
            return false;
        }
        if (!owner.equals(internalName)) {
            referenced.add(owner);
        }
        if (bundle != null && !bundle.contains(owner.replace('/', '.'))) {
            refuse(owner, "references a class that is not among the classes verified");
        }
        return true;
    }

    private void refuse(String reference, String reason) {
        violations.add(new Violation(className, method, reference, reason));
    }
}
