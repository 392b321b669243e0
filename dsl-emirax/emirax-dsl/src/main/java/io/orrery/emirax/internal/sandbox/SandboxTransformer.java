package io.orrery.emirax.internal.sandbox;

import java.util.List;
import java.util.Set;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.ConstructorNode;
import org.codehaus.groovy.ast.FieldNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.PropertyNode;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * Puts rule code into the sandbox. Every source's script class (the workflows, their rules, the input blocks, and
 * any helper method the tenant wrote) is rewritten by {@link RuleRewriter} so each dynamic operation becomes a
 * call of {@link io.orrery.emirax.sandbox.Checked}, and the compiler then compiles the class statically
 * ({@link StaticRules}), so its bytecode holds no dynamic call site. Function blocks were moved out of the script
 * beforehand ({@link FunctionSplit}) and stay dynamic: they run in function hosts, not in the server.
 * A source may declare nothing but its script: classes, enums, interfaces, traits and records are refused.
 */
public final class SandboxTransformer extends CompilationCustomizer {

    /** Methods a script may not declare: they would replace what Groovy or the DSL calls on it. */
    private static final Set<String> RESERVED = Set.of("run", "main", "model", "workflow", "function",
            "getProperty", "setProperty", "invokeMethod", "methodMissing", "propertyMissing", "getMetaClass",
            "setMetaClass", "getBinding", "setBinding", "evaluate", "print", "println", "printf", "toString",
            "equals", "hashCode", "finalize", "clone", "getClass");

    public SandboxTransformer() {
        super(CompilePhase.CANONICALIZATION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (FunctionSplit.isFunctionClass(classNode.getName())) {
            return;
        }
        if (!classNode.isScript()) {
            refuse(source, classNode, "declaring classes, interfaces, enums, traits or records is not available "
                    + "in Emirax code (use maps and lists)");
            return;
        }
        checkMembers(source, classNode);
        var rewriter = new RuleRewriter(source);
        for (MethodNode m : List.copyOf(classNode.getMethods())) {
            if (!(m.isStatic() && m.getName().equals("main"))) {
                rewriter.rewrite(m);
            }
        }
    }

    private static void checkMembers(SourceUnit source, ClassNode script) {
        for (FieldNode f : script.getFields()) {
            if (f.getLineNumber() > 0) {
                refuse(source, f, "fields are not available in Emirax code; keep data in state");
            }
        }
        for (PropertyNode p : script.getProperties()) {
            refuse(source, p, "properties are not available in Emirax code; keep data in state");
        }
        for (ConstructorNode c : script.getDeclaredConstructors()) {
            if (c.getLineNumber() > 0) {
                refuse(source, c, "constructors are not available in Emirax code");
            }
        }
        if (!script.getObjectInitializerStatements().isEmpty()) {
            refuse(source, script, "initializer blocks are not available in Emirax code");
        }
        for (MethodNode m : script.getMethods()) {
            if (m.getLineNumber() < 1) {
                continue;
            }
            if (m.isStatic() || RESERVED.contains(m.getName()) || m.getName().indexOf('$') >= 0) {
                refuse(source, m, "a method named '" + m.getName() + "'" + (m.isStatic() ? " declared static" : "")
                        + " is not available in Emirax code");
            }
            if (!RuleTypes.isValueType(m.getReturnType().getName())) {
                refuse(source, m, m.getReturnType().getName() + " is not available to rules");
            }
            for (Parameter p : m.getParameters()) {
                if (!RuleTypes.isValueType(CheckedCalls.elementType(p.getType()).getName())) {
                    refuse(source, m, p.getType().getName() + " is not available to rules");
                }
            }
        }
    }

    static void refuse(SourceUnit source, ASTNode node, String message) {
        source.getErrorCollector().addErrorAndContinue(new SyntaxException(message + " [refused by Emirax]",
                Math.max(node.getLineNumber(), 1), Math.max(node.getColumnNumber(), 1),
                node.getLastLineNumber(), node.getLastColumnNumber()), source);
    }
}
