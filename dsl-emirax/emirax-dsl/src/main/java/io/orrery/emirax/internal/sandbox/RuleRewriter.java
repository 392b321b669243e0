package io.orrery.emirax.internal.sandbox;

import static io.orrery.emirax.internal.sandbox.CheckedCalls.checked;
import static io.orrery.emirax.internal.sandbox.CheckedCalls.delegate;
import static io.orrery.emirax.internal.sandbox.CheckedCalls.elementType;
import static io.orrery.emirax.internal.sandbox.CheckedCalls.isObject;
import static io.orrery.emirax.internal.sandbox.CheckedCalls.owner;
import static io.orrery.emirax.internal.sandbox.CheckedCalls.strategy;
import static io.orrery.emirax.internal.sandbox.CheckedCalls.typed;
import static io.orrery.emirax.internal.sandbox.CheckedCalls.withCheckpoint;

import io.orrery.emirax.sandbox.Checked;
import java.util.ArrayList;
import java.util.List;
import org.codehaus.groovy.ast.ClassCodeExpressionTransformer;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.Variable;
import org.codehaus.groovy.ast.expr.ArrayExpression;
import org.codehaus.groovy.ast.expr.AttributeExpression;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.BitwiseNegationExpression;
import org.codehaus.groovy.ast.expr.BooleanExpression;
import org.codehaus.groovy.ast.expr.ElvisOperatorExpression;
import org.codehaus.groovy.ast.expr.ListExpression;
import org.codehaus.groovy.ast.expr.NotExpression;
import org.codehaus.groovy.ast.expr.CastExpression;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.ConstructorCallExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.FieldExpression;
import org.codehaus.groovy.ast.expr.LambdaExpression;
import org.codehaus.groovy.ast.expr.MapExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.MethodPointerExpression;
import org.codehaus.groovy.ast.expr.PostfixExpression;
import org.codehaus.groovy.ast.expr.PrefixExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.RangeExpression;
import org.codehaus.groovy.ast.expr.SpreadExpression;
import org.codehaus.groovy.ast.expr.SpreadMapExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.UnaryMinusExpression;
import org.codehaus.groovy.ast.expr.UnaryPlusExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.CaseStatement;
import org.codehaus.groovy.ast.stmt.CatchStatement;
import org.codehaus.groovy.ast.stmt.DoWhileStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.ForStatement;
import org.codehaus.groovy.ast.stmt.ReturnStatement;
import org.codehaus.groovy.ast.stmt.SwitchStatement;
import org.codehaus.groovy.ast.stmt.SynchronizedStatement;
import org.codehaus.groovy.ast.stmt.TryCatchStatement;
import org.codehaus.groovy.ast.stmt.WhileStatement;
import org.codehaus.groovy.control.SourceUnit;

/**
 * Rewrites the code of one script method (its closures included) so every dynamic operation is a static call of
 * {@link Checked}: {@code a.b(c)} becomes {@code Checked.call(a, "b", [c])}, {@code a.b} becomes
 * {@code Checked.getProperty(a, "b")}, a bare name inside a closure is resolved through the closure's owner and
 * delegate by {@code Checked.callImplicit}, operators, casts, {@code new}, ranges and method pointers likewise. It
 * also puts a {@code Checked.checkpoint()} at the start of every method, closure and loop body, and a
 * {@code Checked.rethrowIfStopped(e)} at the start of every catch block, and refuses jumps out of finally blocks
 * ({@link FinallyJumps}). Anything it cannot express that way is refused with the file and line.
 */
final class RuleRewriter extends ClassCodeExpressionTransformer {

    private final SourceUnit source;
    private int closureDepth;
    private ClassNode returnType = ClassHelper.OBJECT_TYPE;

    RuleRewriter(SourceUnit source) {
        this.source = source;
    }

    @Override
    protected SourceUnit getSourceUnit() {
        return source;
    }

    void rewrite(MethodNode method) {
        closureDepth = 0;
        returnType = method.getReturnType();
        if (!isObject(returnType) && !ClassHelper.isPrimitiveVoid(returnType)) {
            new org.codehaus.groovy.classgen.ReturnAdder().visitMethod(method); // so implicit returns get cast too
        }
        visitMethod(method);
        if (method.getCode() != null) {
            method.setCode(withCheckpoint(method.getCode()));
        }
    }

    // ---- expressions ------------------------------------------------------------------------------------------

    @Override
    public Expression transform(Expression e) {
        if (e == null) {
            return null;
        }
        Expression out = rewriteExpression(e);
        if (out != e) {
            out.setSourcePosition(e);
        }
        return out;
    }

    private Expression rewriteExpression(Expression e) {
        if (e instanceof LambdaExpression) {
            return refuse(e, "lambdas are not available in Emirax code; use a closure");
        }
        if (e instanceof ClosureExpression c) {
            return closure(c);
        }
        if (e instanceof MethodCallExpression m) {
            return methodCall(m);
        }
        if (e instanceof StaticMethodCallExpression s) {
            return staticCall(new ClassExpression(s.getOwnerType()), s.getMethod(), s.getArguments(), s);
        }
        if (e instanceof ConstructorCallExpression c) {
            return construct(c);
        }
        if (e instanceof AttributeExpression) {
            return refuse(e, "field access with .@ is not available in Emirax code");
        }
        if (e instanceof PropertyExpression p) {
            return property(p);
        }
        if (e instanceof MethodPointerExpression p) {
            return checked("pointer", transform(p.getExpression()), name(p.getMethodName()));
        }
        if (e instanceof DeclarationExpression d) {
            return declaration(d);
        }
        if (e instanceof BinaryExpression b) {
            return Operations.binary(this, b);
        }
        if (e instanceof PostfixExpression p) {
            return Operations.step(this, p.getExpression(), p.getOperation().getType(), true);
        }
        if (e instanceof PrefixExpression p) {
            return Operations.step(this, p.getExpression(), p.getOperation().getType(), false);
        }
        if (e instanceof CastExpression c) {
            return cast(c);
        }
        if (e instanceof VariableExpression v) {
            return variable(v);
        }
        if (e instanceof UnaryMinusExpression u) {
            return checked("unary", new ConstantExpression("negative"), transform(u.getExpression()));
        }
        if (e instanceof UnaryPlusExpression u) {
            return checked("unary", new ConstantExpression("positive"), transform(u.getExpression()));
        }
        if (e instanceof BitwiseNegationExpression u) {
            return checked("unary", new ConstantExpression("bitwiseNegate"), transform(u.getExpression()));
        }
        if (e instanceof RangeExpression r) {
            return checked("range", transform(r.getFrom()), transform(r.getTo()),
                    new ConstantExpression(r.isExclusiveLeft(), true),
                    new ConstantExpression(r.isExclusiveRight(), true));
        }
        if (e instanceof ClassExpression c) {
            requireType(c, c.getType());
            return c;
        }
        if (e instanceof ConstantExpression c && literalCall(c.getValue()) != null) {
            // Groovy would keep such literals in static fields set by a static initializer; rule classes have none
            return checked(literalCall(c.getValue()), new ConstantExpression(c.getValue().toString()));
        }
        if (e instanceof NotExpression n) {
            return new NotExpression(truth(n.getExpression()));
        }
        if (e instanceof BooleanExpression b) {
            return new BooleanExpression(truth(b.getExpression()));
        }
        if (e instanceof ElvisOperatorExpression elvis) {
            return checked("elvis", transform(elvis.getTrueExpression()), lazy(elvis.getFalseExpression()));
        }
        if (e instanceof MapExpression || e instanceof ListExpression
                && !(e instanceof org.codehaus.groovy.ast.expr.ClosureListExpression)) {
            // typed Object, so Groovy never casts a literal to the LinkedHashMap/ArrayList it infers
            return checked("value", e.transformExpression(this));
        }
        if (e instanceof SpreadExpression || e instanceof SpreadMapExpression) {
            return refuse(e, "the spread operator * is not available here in Emirax code");
        }
        if (e instanceof ArrayExpression || e instanceof FieldExpression) {
            return refuse(e, "arrays are not available in Emirax code; use lists");
        }
        return e.transformExpression(this);
    }

    private Expression closure(ClosureExpression c) {
        if (c.getParameters() != null) {
            for (Parameter p : c.getParameters()) {
                requireType(c, p.getType());
            }
        }
        closureDepth++;
        ClassNode outerReturn = returnType;
        returnType = ClassHelper.OBJECT_TYPE;
        c.getCode().visit(this);
        c.setCode(withCheckpoint(c.getCode()));
        returnType = outerReturn;
        closureDepth--;
        return c;
    }

    private Expression methodCall(MethodCallExpression m) {
        Expression name = name(m.getMethod());
        Expression args = arguments(m.getArguments());
        Expression receiver = m.getObjectExpression();
        if (receiver instanceof VariableExpression v && v.isSuperExpression()) {
            return refuse(m, "super calls are not available in Emirax code");
        }
        if (m.isImplicitThis() && closureDepth > 0) {
            return checked("callImplicit", owner(), delegate(), strategy(), name, args);
        }
        if (receiver instanceof ClassExpression type) {
            return staticCall(type, m.getMethodAsString(), m.getArguments(), m);
        }
        String op = m.isSpreadSafe() ? "spreadCall" : m.isSafe() ? "safeCall" : "call";
        return checked(op, transform(receiver), name, args);
    }

    private Expression staticCall(ClassExpression type, String method, Expression arguments, Expression at) {
        if (method == null || !RuleTypes.isStatic(type.getType().getName(), method)) {
            return refuse(at, type.getType().getName() + "." + method + " is not available to rules");
        }
        return checked("callStatic", type, new ConstantExpression(method), arguments(arguments));
    }

    private Expression property(PropertyExpression p) {
        Expression name = name(p.getProperty());
        if (p.getObjectExpression() instanceof ClassExpression type) {
            String member = p.getPropertyAsString();
            if (member == null || !RuleTypes.isStatic(type.getType().getName(), member)) {
                return refuse(p, type.getType().getName() + "." + member + " is not available to rules");
            }
            return checked("getProperty", type, name);
        }
        String op = p.isSpreadSafe() ? "spreadGetProperty" : p.isSafe() ? "safeGetProperty" : "getProperty";
        return checked(op, transform(p.getObjectExpression()), name);
    }

    private Expression construct(ConstructorCallExpression c) {
        if (c.isSpecialCall() || c.isUsingAnonymousInnerClass()) {
            return refuse(c, "this(), super() and anonymous classes are not available in Emirax code");
        }
        if (!RuleTypes.isConstructible(c.getType().getName())) {
            return refuse(c, "new " + c.getType().getName() + " is not available to rules");
        }
        return checked("construct", new ClassExpression(c.getType()), arguments(c.getArguments()));
    }

    /** The {@link io.orrery.emirax.sandbox.Checked} method making a literal Groovy would hold in a static field. */
    private static String literalCall(Object value) {
        if (value instanceof java.math.BigDecimal) {
            return "decimal";
        }
        if (value instanceof java.math.BigInteger) {
            return "integer";
        }
        if (value instanceof Long) {
            return "longInteger";
        }
        return value instanceof Float ? "singlePrecision" : null;
    }

    private Expression cast(CastExpression c) {
        ClassNode type = c.getType();
        requireType(c, type);
        return typed(transform(c.getExpression()), type, c.isCoerce() ? "asType" : "cast");
    }

    private Expression declaration(DeclarationExpression d) {
        if (d.isMultipleAssignmentDeclaration()) {
            return refuse(d, "multiple assignment is not available in Emirax code");
        }
        VariableExpression v = d.getVariableExpression();
        requireType(d, v.getOriginType());
        Expression value = transform(d.getRightExpression());
        if (!v.isDynamicTyped() && !(value instanceof org.codehaus.groovy.ast.expr.EmptyExpression)) {
            value = typed(value, v.getOriginType(), "cast");
        }
        var out = new DeclarationExpression(v, d.getOperation(), value);
        out.setSourcePosition(d);
        return out;
    }

    private Expression variable(VariableExpression v) {
        if (v.isThisExpression()) {
            return v;
        }
        if (v.isSuperExpression()) {
            return refuse(v, "super is not available in Emirax code");
        }
        Variable target = v.getAccessedVariable();
        if (target instanceof VariableExpression || target instanceof Parameter) {
            return v;
        }
        var name = new ConstantExpression(v.getName());
        return closureDepth > 0 ? checked("getImplicit", owner(), delegate(), strategy(), name)
                : checked("getProperty", VariableExpression.THIS_EXPRESSION, name);
    }

    // ---- statements -------------------------------------------------------------------------------------------

    @Override
    public void visitForLoop(ForStatement loop) {
        super.visitForLoop(loop);
        if (!(loop.getCollectionExpression() instanceof org.codehaus.groovy.ast.expr.ClosureListExpression)) {
            requireType(loop, loop.getVariable().getType());
            loop.setCollectionExpression(checked("iterable", loop.getCollectionExpression()));
        } else if (loop.getCollectionExpression() instanceof org.codehaus.groovy.ast.expr.ClosureListExpression parts
                && parts.getExpressions().size() == 3 && !(parts.getExpression(1)
                        instanceof org.codehaus.groovy.ast.expr.EmptyExpression)) {
            parts.getExpressions().set(1, checked("truth", parts.getExpression(1)));
        }
        loop.setLoopBlock(withCheckpoint(loop.getLoopBlock()));
    }

    @Override
    public void visitSwitch(SwitchStatement statement) {
        super.visitSwitch(statement);
        for (CaseStatement c : statement.getCaseStatements()) {
            c.setExpression(checked("caseTest", c.getExpression()));
        }
    }

    @Override
    public void visitWhileLoop(WhileStatement loop) {
        super.visitWhileLoop(loop);
        loop.setLoopBlock(withCheckpoint(loop.getLoopBlock()));
    }

    @Override
    public void visitDoWhileLoop(DoWhileStatement loop) {
        super.visitDoWhileLoop(loop);
        loop.setLoopBlock(withCheckpoint(loop.getLoopBlock()));
    }

    @Override
    public void visitCatchStatement(CatchStatement c) {
        ClassNode type = c.getExceptionType();
        if (type != null && !RuleTypes.isCatchable(type.getName())) {
            refuse(c, "catching " + type.getName() + " is not available in Emirax code; catch Exception");
        }
        super.visitCatchStatement(c);
        var rethrow = new ExpressionStatement(checked("rethrowIfStopped", new VariableExpression(c.getVariable())));
        var block = new BlockStatement();
        block.addStatement(rethrow);
        if (c.getCode() instanceof BlockStatement b) {
            block.setVariableScope(b.getVariableScope());
        }
        block.addStatement(c.getCode());
        c.setCode(block);
    }

    @Override
    public void visitTryCatchFinally(TryCatchStatement statement) {
        super.visitTryCatchFinally(statement);
        FinallyJumps.refuseIn(statement.getFinallyStatement(), this);
    }

    @Override
    public void visitSynchronizedStatement(SynchronizedStatement statement) {
        refuse(statement, "synchronized is not available in Emirax code");
    }

    @Override
    public void visitReturnStatement(ReturnStatement statement) {
        super.visitReturnStatement(statement);
        if (!isObject(returnType) && !ClassHelper.isPrimitiveVoid(returnType)) {
            statement.setExpression(typed(statement.getExpression(), returnType, "cast"));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** A condition as a primitive boolean, so Groovy need not convert (a dynamic cast) what the checker answers. */
    Expression truth(Expression condition) {
        return checked("truth", transform(condition));
    }

    /** {@code { -> value }}: evaluated only when the checker asks for it (the right side of an elvis). */
    private Expression lazy(Expression value) {
        var body = new ExpressionStatement(value);
        var closure = new ClosureExpression(Parameter.EMPTY_ARRAY, body);
        closure.setVariableScope(new org.codehaus.groovy.ast.VariableScope());
        closure.setSourcePosition(value);
        return transform(closure);
    }

    boolean inClosure() {
        return closureDepth > 0;
    }

    /** A member name: a constant, or a checked string for a name computed at run time. */
    Expression name(Expression name) {
        if (name instanceof ConstantExpression c && c.getValue() instanceof String) {
            return c;
        }
        return checked("name", transform(name));
    }

    /** The call's arguments as one {@code Object[]}; named arguments become the leading map, as Groovy passes them. */
    Expression arguments(Expression args) {
        List<Expression> out = new ArrayList<>();
        List<Expression> in = args instanceof TupleExpression t ? t.getExpressions() : List.of(args);
        for (Expression a : in) {
            if (a instanceof SpreadExpression) {
                refuse(a, "spread arguments are not available in Emirax code");
            } else if (a instanceof MapExpression named) {
                out.add(new MapExpression(named.getMapEntryExpressions().stream()
                        .map(entry -> (org.codehaus.groovy.ast.expr.MapEntryExpression) transform(entry)).toList()));
            } else {
                out.add(transform(a));
            }
        }
        return new ArrayExpression(ClassHelper.OBJECT_TYPE, out);
    }

    void requireType(org.codehaus.groovy.ast.ASTNode at, ClassNode type) {
        if (type != null && !RuleTypes.isValueType(elementType(type).getName())) {
            refuse(at, elementType(type).getName() + " is not available to rules");
        }
    }

    Expression refuse(Expression at, String message) {
        refuse((org.codehaus.groovy.ast.ASTNode) at, message);
        return at;
    }

    void refuse(org.codehaus.groovy.ast.ASTNode at, String message) {
        SandboxTransformer.refuse(source, at, message);
    }
}
