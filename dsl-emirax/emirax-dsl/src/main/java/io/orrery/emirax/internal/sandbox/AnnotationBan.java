package io.orrery.emirax.internal.sandbox;

import org.codehaus.groovy.ast.AnnotatedNode;
import org.codehaus.groovy.ast.AnnotationNode;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.ImportNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;

/**
 * Refuses every annotation in an Emirax source, before any of them is collected: annotations drive AST
 * transformations ({@code @ASTTest}, {@code @Grab}, {@code @CompileDynamic}, {@code @groovy.transform.*}), which
 * run code in the compiler or change what the sandbox sees. Emirax has no use for them.
 */
public final class AnnotationBan extends CompilationCustomizer {

    public AnnotationBan() {
        super(CompilePhase.CONVERSION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        ModuleNode module = source.getAST();
        if (classNode.isScript() || module.getClasses().indexOf(classNode) == 0) {
            for (ImportNode i : module.getImports()) {
                check(source, i);
            }
            module.getStaticImports().values().forEach(i -> check(source, i));
            module.getStaticStarImports().values().forEach(i -> check(source, i));
            module.getStarImports().forEach(i -> check(source, i));
            if (module.getPackage() != null) {
                check(source, module.getPackage());
            }
        }
        new ClassCodeVisitorSupport() {
            @Override
            protected SourceUnit getSourceUnit() {
                return source;
            }

            @Override
            public void visitAnnotations(AnnotatedNode node) {
                check(source, node);
            }

            @Override
            public void visitDeclarationExpression(DeclarationExpression expression) {
                check(source, expression);
                super.visitDeclarationExpression(expression);
            }
        }.visitClass(classNode);
    }

    private static void check(SourceUnit source, AnnotatedNode node) {
        for (AnnotationNode a : node.getAnnotations()) {
            if (a.getLineNumber() < 1) {
                continue; // the compiler's own (the script base class is set through @BaseScript)
            }
            SandboxTransformer.refuse(source, a, "@"
                    + a.getClassNode().getNameWithoutPackage() + ": annotations are not available in Emirax code");
        }
    }
}
