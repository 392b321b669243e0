package io.orrery.emirax.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MapEntryExpression;
import org.codehaus.groovy.ast.expr.MapExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;

/**
 * Shapes the DSL's AST before Groovy resolves it:
 * <ul>
 *   <li>{@code call ...} inside a closure becomes {@code emiraxCall ...}: inside a closure Groovy dispatches an
 *       unqualified {@code call(...)} to the closure itself, which would break {@code collect { c -> call 'f', ... }}.
 *   <li>{@code rule('name') {...}} gets a {@code fingerprint:} named argument, a digest of the rule's source text,
 *       and of the helpers of its file, so the engine can tell an unchanged rule in a new version from a changed
 *       one.
 * </ul>
 */
public final class RuleShaping extends CompilationCustomizer {

    private final Map<String, String> texts;

    /** @param texts source text per compilation unit name */
    public RuleShaping(Map<String, String> texts) {
        super(CompilePhase.CONVERSION);
        this.texts = texts;
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        String[] lines = texts.getOrDefault(source.getName(), "").split("\n", -1);
        new Visitor(source, lines, helpers(source, lines)).visitClass(classNode);
    }

    /**
     * The text of everything in the file that a rule's code may call besides the rule itself: methods declared in
     * the script and other classes of the file. It goes into every rule's fingerprint, so a changed helper counts
     * as a change of the rules of its file (all of them: which rule calls which helper is not known before run time).
     */
    private static String helpers(SourceUnit source, String[] lines) {
        var sb = new StringBuilder();
        for (ClassNode c : source.getAST().getClasses()) {
            if (!c.isScript()) {
                sb.append(text(lines, c.getLineNumber(), c.getLastLineNumber()));
                continue;
            }
            for (MethodNode m : c.getMethods()) {
                if (m.getLineNumber() > 0 && !m.getName().equals("run") && !m.getName().equals("main")) {
                    sb.append(text(lines, m.getLineNumber(), m.getLastLineNumber()));
                }
            }
        }
        return sb.toString();
    }

    private static String text(String[] lines, int first, int last) {
        var sb = new StringBuilder();
        for (int l = Math.max(1, first); l <= last && l <= lines.length; l++) {
            sb.append(lines[l - 1].strip()).append('\n');
        }
        return sb.toString();
    }

    private static final class Visitor extends ClassCodeVisitorSupport {
        private final SourceUnit source;
        private final String[] lines;
        private final String helpers;
        private int closureDepth;

        Visitor(SourceUnit source, String[] lines, String helpers) {
            this.source = source;
            this.lines = lines;
            this.helpers = helpers;
        }

        @Override
        protected SourceUnit getSourceUnit() {
            return source;
        }

        @Override
        public void visitClosureExpression(ClosureExpression expression) {
            closureDepth++;
            super.visitClosureExpression(expression);
            closureDepth--;
        }

        @Override
        public void visitMethodCallExpression(MethodCallExpression call) {
            if (call.isImplicitThis()) {
                String name = call.getMethodAsString();
                if ("call".equals(name) && closureDepth > 0) {
                    call.setMethod(new ConstantExpression("emiraxCall"));
                } else if ("rule".equals(name)) {
                    fingerprint(call);
                }
            }
            super.visitMethodCallExpression(call);
        }

        private void fingerprint(MethodCallExpression call) {
            if (!(call.getArguments() instanceof TupleExpression tuple) || call.getLineNumber() < 1) {
                return;
            }
            List<Expression> args = new ArrayList<>(tuple.getExpressions());
            if (args.isEmpty() || !(args.get(args.size() - 1) instanceof ClosureExpression)) {
                return;
            }
            var entry = new MapEntryExpression(new ConstantExpression("fingerprint"),
                    new ConstantExpression(digest(helpers.isEmpty() ? text(call) : text(call) + helpers)));
            if (args.get(0) instanceof MapExpression named) {
                named.addMapEntryExpression(entry);
            } else {
                var named = new MapExpression(List.of(entry));
                args.add(0, named);
                call.setArguments(new ArgumentListExpression(args));
            }
        }

        private String text(MethodCallExpression call) {
            return RuleShaping.text(lines, call.getLineNumber(), call.getLastLineNumber());
        }
    }

    static String digest(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
