package io.orrery.emirax.internal.sandbox;

import java.util.ArrayList;
import java.util.List;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.ReturnStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import groovyjarjarasm.asm.Opcodes;

/**
 * Moves the bodies of top-level {@code function('name') { args -> ... }} blocks out of the script into a class of
 * their own, {@code <script>$functions}, with one static method per function ({@code f0}, {@code f1}, ...)
 * answering its closure. The script then calls {@code function('name', 0)}, which names the body by index only, so
 * no rule class references function code: the server loads and verifies rule classes and never function classes,
 * which run in function hosts and stay ordinary dynamic Groovy.
 */
public final class FunctionSplit extends CompilationCustomizer {

    /** What a function class's name carries after its script's name. */
    public static final String SUFFIX = "$functions";

    public FunctionSplit() {
        super(CompilePhase.CONVERSION);
    }

    /** True for a function class or one of its closures: host-side code the server must never load. */
    public static boolean isFunctionClass(String className) {
        return className.contains(SUFFIX);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (!classNode.isScript()) {
            return;
        }
        MethodNode run = classNode.getMethod("run", Parameter.EMPTY_ARRAY);
        if (run == null || !(run.getCode() instanceof BlockStatement code)) {
            return;
        }
        List<ClosureExpression> bodies = new ArrayList<>();
        for (Statement s : code.getStatements()) {
            if (s instanceof ExpressionStatement e && e.getExpression() instanceof MethodCallExpression call
                    && call.isImplicitThis() && "function".equals(call.getMethodAsString())
                    && call.getArguments() instanceof TupleExpression args && args.getExpressions().size() == 2
                    && args.getExpression(1) instanceof ClosureExpression body) {
                var index = new ConstantExpression(bodies.size(), true);
                index.setSourcePosition(body);
                call.setArguments(new ArgumentListExpression(args.getExpression(0), index));
                bodies.add(body);
            }
        }
        if (!bodies.isEmpty()) {
            source.getAST().addClass(functionClass(classNode.getName() + SUFFIX, bodies));
        }
    }

    private static ClassNode functionClass(String name, List<ClosureExpression> bodies) {
        var node = new ClassNode(name, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, ClassHelper.OBJECT_TYPE);
        for (int i = 0; i < bodies.size(); i++) {
            Statement body = new ReturnStatement((Expression) bodies.get(i));
            node.addMethod("f" + i, Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, ClassHelper.CLOSURE_TYPE.getPlainNodeReference(),
                    Parameter.EMPTY_ARRAY, ClassNode.EMPTY_ARRAY, new BlockStatement(new ArrayList<>(List.of(body)),
                            new org.codehaus.groovy.ast.VariableScope()));
        }
        return node;
    }
}
