package io.orrery.emirax.internal.sandbox;

import static io.orrery.emirax.internal.sandbox.CheckedCalls.assignmentBase;
import static io.orrery.emirax.internal.sandbox.CheckedCalls.checked;
import static io.orrery.emirax.internal.sandbox.CheckedCalls.delegate;
import static io.orrery.emirax.internal.sandbox.CheckedCalls.isDynamic;
import static io.orrery.emirax.internal.sandbox.CheckedCalls.owner;
import static io.orrery.emirax.internal.sandbox.CheckedCalls.strategy;
import static io.orrery.emirax.internal.sandbox.CheckedCalls.typed;

import java.util.Map;
import org.codehaus.groovy.ast.expr.AttributeExpression;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.syntax.Token;
import org.codehaus.groovy.syntax.Types;

/**
 * The binary operators, assignments and {@code ++}/{@code --} of rule code, for {@link RuleRewriter}: each
 * operator becomes {@code Checked.binary("<its Groovy method name>", a, b)}, an assignment to a property or an
 * index a checked set, a compound assignment a read, an operation and a write.
 */
final class Operations {

    /** Operator token to the name {@code Checked.binary} knows it by (Groovy's operator method names). */
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(Types.PLUS, "plus"), Map.entry(Types.MINUS, "minus"), Map.entry(Types.MULTIPLY, "multiply"),
            Map.entry(Types.DIVIDE, "div"), Map.entry(Types.MOD, "remainder"),
            Map.entry(Types.POWER, "power"), Map.entry(Types.INTDIV, "intdiv"),
            Map.entry(Types.LEFT_SHIFT, "leftShift"), Map.entry(Types.RIGHT_SHIFT, "rightShift"),
            Map.entry(Types.RIGHT_SHIFT_UNSIGNED, "rightShiftUnsigned"), Map.entry(Types.BITWISE_AND, "and"),
            Map.entry(Types.BITWISE_OR, "or"), Map.entry(Types.BITWISE_XOR, "xor"),
            Map.entry(Types.COMPARE_EQUAL, "compareEqual"), Map.entry(Types.COMPARE_NOT_EQUAL, "compareNotEqual"),
            Map.entry(Types.COMPARE_LESS_THAN, "compareLessThan"),
            Map.entry(Types.COMPARE_LESS_THAN_EQUAL, "compareLessThanEqual"),
            Map.entry(Types.COMPARE_GREATER_THAN, "compareGreaterThan"),
            Map.entry(Types.COMPARE_GREATER_THAN_EQUAL, "compareGreaterThanEqual"),
            Map.entry(Types.COMPARE_TO, "compareTo"), Map.entry(Types.KEYWORD_IN, "isCase"),
            Map.entry(Types.COMPARE_NOT_IN, "isNotCase"), Map.entry(Types.FIND_REGEX, "findRegex"),
            Map.entry(Types.MATCH_REGEX, "matchRegex"));

    private Operations() {
    }

    static Expression binary(RuleRewriter r, BinaryExpression b) {
        int type = b.getOperation().getType();
        if (Types.isAssignment(type)) {
            return assign(r, b, type);
        }
        switch (type) {
            case Types.LOGICAL_AND, Types.LOGICAL_OR:
                return new BinaryExpression(r.truth(b.getLeftExpression()), b.getOperation(),
                        r.truth(b.getRightExpression()));
            case Types.COMPARE_IDENTICAL, Types.COMPARE_NOT_IDENTICAL:
                return b.transformExpression(r);
            case Types.KEYWORD_INSTANCEOF, Types.COMPARE_NOT_INSTANCEOF:
                r.requireType(b, b.getRightExpression().getType());
                return b.transformExpression(r);
            case Types.LEFT_SQUARE_BRACKET:
                return checked(b.isSafe() ? "safeGetAt" : "getAt", r.transform(b.getLeftExpression()),
                        r.transform(b.getRightExpression()));
            default:
                String name = NAMES.get(type);
                if (name == null) {
                    return r.refuse(b, "the operator " + b.getOperation().getText() + " is not available in Emirax "
                            + "code");
                }
                return checked("binary", new ConstantExpression(name), r.transform(b.getLeftExpression()),
                        r.transform(b.getRightExpression()));
        }
    }

    private static Expression assign(RuleRewriter r, BinaryExpression b, int type) {
        Expression left = b.getLeftExpression();
        Expression value = r.transform(b.getRightExpression());
        if (type != Types.ASSIGN) {
            String name = NAMES.get(assignmentBase(type));
            if (name == null) {
                return r.refuse(b, "the operator " + b.getOperation().getText() + " is not available in Emirax code");
            }
            value = checked("binary", new ConstantExpression(name), read(r, left), value);
        }
        return write(r, left, value, b);
    }

    /** {@code left = value}, as a checked write where the target is dynamic. */
    private static Expression write(RuleRewriter r, Expression left, Expression value, Expression at) {
        if (left instanceof AttributeExpression) {
            return r.refuse(at, "field access with .@ is not available in Emirax code");
        }
        if (left instanceof PropertyExpression p) {
            if (p.getObjectExpression() instanceof ClassExpression || p.isSpreadSafe()) {
                return r.refuse(at, "this assignment is not available in Emirax code");
            }
            return checked("setProperty", r.transform(p.getObjectExpression()), r.name(p.getProperty()), value);
        }
        if (left instanceof BinaryExpression index && index.getOperation().getType() == Types.LEFT_SQUARE_BRACKET) {
            return checked("putAt", r.transform(index.getLeftExpression()), r.transform(index.getRightExpression()),
                    value);
        }
        if (left instanceof VariableExpression v && !v.isThisExpression() && !v.isSuperExpression()) {
            if (isDynamic(v)) {
                var name = new ConstantExpression(v.getName());
                return r.inClosure() ? checked("setImplicit", owner(), delegate(), strategy(), name, value)
                        : checked("setProperty", VariableExpression.THIS_EXPRESSION, name, value);
            }
            ClassNode type = v.getAccessedVariable() == null ? ClassHelper.OBJECT_TYPE
                    : v.getAccessedVariable().getOriginType();
            boolean dynamicTyped = v.getAccessedVariable() == null || v.getAccessedVariable().isDynamicTyped();
            var assignment = new BinaryExpression(v, Token.newSymbol(Types.ASSIGN, at.getLineNumber(),
                    at.getColumnNumber()), dynamicTyped ? value : typed(value, type, "cast"));
            assignment.setSourcePosition(at);
            return assignment;
        }
        return r.refuse(at, "this assignment is not available in Emirax code");
    }

    /** The current value of an assignment target, read through the checker. */
    private static Expression read(RuleRewriter r, Expression left) {
        if (left instanceof VariableExpression v && !isDynamic(v)) {
            return v;
        }
        return r.transform(left);
    }

    /** {@code x++}, {@code --x}: the new value is stored; a postfix answers the old one. */
    static Expression step(RuleRewriter r, Expression target, int type, boolean postfix) {
        String op = type == Types.PLUS_PLUS ? "next" : "previous";
        Expression old = read(r, target);
        Expression stored = write(r, target, checked("unary", new ConstantExpression(op), old), target);
        if (!postfix) {
            return stored;
        }
        return checked("first", read(r, target), stored);
    }
}
