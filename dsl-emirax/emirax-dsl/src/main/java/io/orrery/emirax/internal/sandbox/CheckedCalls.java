package io.orrery.emirax.internal.sandbox;

import io.orrery.emirax.sandbox.Checked;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.DynamicVariable;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.Variable;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.CastExpression;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.syntax.Types;

/**
 * The syntax the {@link RuleRewriter} puts in place of rule code: static calls of {@link Checked}, strict casts of
 * what the checker converted, a closure's owner, delegate and resolve strategy, checkpoints at the start of a body.
 * Also the questions about the syntax being rewritten that more than one rewriting step asks.
 */
final class CheckedCalls {

    private static final ClassNode CHECKED = ClassHelper.make(Checked.class);

    private CheckedCalls() {
    }

    static Expression checked(String method, Expression... args) {
        var call = new MethodCallExpression(new ClassExpression(CHECKED), method, new ArgumentListExpression(args));
        call.setImplicitThis(false);
        return call;
    }

    static Expression typed(Expression value, ClassNode type, String how) {
        if (isObject(type)) {
            return value;
        }
        ClassNode target = (ClassHelper.isPrimitiveType(type) ? ClassHelper.getWrapper(type) : type)
                .getPlainNodeReference();
        // The checker has converted the value already: a strict cast is a plain checkcast, no dynamic cast site.
        var cast = new CastExpression(target, checked(how, value, new ClassExpression(target)));
        cast.setStrict(true);
        return cast;
    }

    static Expression owner() {
        return implicitThisCall("getOwner");
    }

    static Expression delegate() {
        return implicitThisCall("getDelegate");
    }

    static Expression strategy() {
        return implicitThisCall("getResolveStrategy");
    }

    private static Expression implicitThisCall(String name) {
        var call = new MethodCallExpression(VariableExpression.THIS_EXPRESSION, name,
                ArgumentListExpression.EMPTY_ARGUMENTS);
        call.setImplicitThis(true);
        return call;
    }

    static ClassNode elementType(ClassNode type) {
        ClassNode t = type;
        while (t.isArray()) {
            t = t.getComponentType();
        }
        return t;
    }

    static boolean isObject(ClassNode type) {
        return type == null || ClassHelper.isObjectType(type) || type.getName().equals("java.lang.Object");
    }

    static Statement withCheckpoint(Statement body) {
        var checkpoint = new ExpressionStatement(new MethodCallExpression(new ClassExpression(CHECKED), "checkpoint",
                ArgumentListExpression.EMPTY_ARGUMENTS));
        var block = new BlockStatement();
        block.addStatement(checkpoint);
        if (body instanceof BlockStatement b) {
            block.setVariableScope(b.getVariableScope());
            block.addStatements(b.getStatements());
        } else if (body != null) {
            block.addStatement(body);
        }
        return block;
    }

    static boolean isDynamic(VariableExpression v) {
        Variable target = v.getAccessedVariable();
        return !(target instanceof VariableExpression || target instanceof Parameter) && !v.isThisExpression()
                && !v.isSuperExpression() || target instanceof DynamicVariable;
    }

    static int assignmentBase(int type) {
        return type == Types.ASSIGN ? Types.ASSIGN : org.codehaus.groovy.syntax.TokenUtil.removeAssignment(type);
    }
}
