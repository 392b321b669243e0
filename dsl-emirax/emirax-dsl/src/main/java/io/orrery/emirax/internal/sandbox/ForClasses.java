package io.orrery.emirax.internal.sandbox;

import groovy.transform.CompilationUnitAware;
import java.util.function.Predicate;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;

/**
 * Applies a customizer to some classes of a compilation only: static compilation to the rule side (script classes),
 * Groovy's interrupt checks to the function side, which stays dynamic.
 */
public final class ForClasses extends CompilationCustomizer implements CompilationUnitAware {

    private final CompilationCustomizer customizer;
    private final Predicate<ClassNode> applies;

    public ForClasses(CompilationCustomizer customizer, Predicate<ClassNode> applies) {
        super(customizer.getPhase());
        this.customizer = customizer;
        this.applies = applies;
    }

    /** The classes that hold rule code: every script class. */
    public static boolean ruleSide(ClassNode node) {
        return node.isScript() && !FunctionSplit.isFunctionClass(node.getName());
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (applies.test(classNode)) {
            customizer.call(source, context, classNode);
        }
    }

    @Override
    public void setCompilationUnit(CompilationUnit unit) {
        if (customizer instanceof CompilationUnitAware aware) {
            aware.setCompilationUnit(unit);
        }
    }
}
