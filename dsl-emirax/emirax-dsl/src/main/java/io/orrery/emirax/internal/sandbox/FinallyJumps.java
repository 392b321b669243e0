package io.orrery.emirax.internal.sandbox;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.stmt.BreakStatement;
import org.codehaus.groovy.ast.stmt.ContinueStatement;
import org.codehaus.groovy.ast.stmt.DoWhileStatement;
import org.codehaus.groovy.ast.stmt.ForStatement;
import org.codehaus.groovy.ast.stmt.ReturnStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.ast.stmt.SwitchStatement;
import org.codehaus.groovy.ast.stmt.WhileStatement;

/**
 * Refuses {@code return}, {@code break} and {@code continue} leaving a finally block. The block also runs on the way
 * out of a stopped rule, with the stop to rethrow at its end; a jump out of it would drop the stop, and the rule
 * sandbox's verifier refuses the class file ({@code StopCheck}). Jumps within the block, and closures in it, are fine.
 */
final class FinallyJumps extends CodeVisitorSupport {

    private static final String REFUSED = "return, break and continue out of a finally block are not available in "
            + "Emirax code (the block runs as a stopped rule ends, and must let the stop go on)";

    private final RuleRewriter rules;
    /** Loops and switches inside the block, innermost first: a break may end either, continue a loop only. */
    private final Deque<Statement> targets = new ArrayDeque<>();

    private FinallyJumps(RuleRewriter rules) {
        this.rules = rules;
    }

    static void refuseIn(Statement finallyBlock, RuleRewriter rules) {
        if (finallyBlock != null) {
            finallyBlock.visit(new FinallyJumps(rules));
        }
    }

    @Override
    public void visitReturnStatement(ReturnStatement statement) {
        rules.refuse(statement, REFUSED);
    }

    @Override
    public void visitBreakStatement(BreakStatement statement) {
        if (!within(statement.getLabel(), true)) {
            rules.refuse(statement, REFUSED);
        }
    }

    @Override
    public void visitContinueStatement(ContinueStatement statement) {
        if (!within(statement.getLabel(), false)) {
            rules.refuse(statement, REFUSED);
        }
    }

    /** Whether the jump's target is a loop (or, for a break, a switch) inside the block. */
    private boolean within(String label, boolean isBreak) {
        for (Statement target : targets) {
            boolean loop = !(target instanceof SwitchStatement);
            List<String> labels = target.getStatementLabels();
            if (label == null ? loop || isBreak : labels != null && labels.contains(label)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void visitForLoop(ForStatement loop) {
        targets.push(loop);
        super.visitForLoop(loop);
        targets.pop();
    }

    @Override
    public void visitWhileLoop(WhileStatement loop) {
        targets.push(loop);
        super.visitWhileLoop(loop);
        targets.pop();
    }

    @Override
    public void visitDoWhileLoop(DoWhileStatement loop) {
        targets.push(loop);
        super.visitDoWhileLoop(loop);
        targets.pop();
    }

    @Override
    public void visitSwitch(SwitchStatement statement) {
        targets.push(statement);
        super.visitSwitch(statement);
        targets.pop();
    }

    @Override
    public void visitClosureExpression(ClosureExpression expression) {
        // its body is a method of its own: a return there returns from the closure
    }
}
