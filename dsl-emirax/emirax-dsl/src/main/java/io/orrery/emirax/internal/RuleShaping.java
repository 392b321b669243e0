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
 *       so the engine can tell an unchanged rule in a new version from a changed one.
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
        new Visitor(source, lines).visitClass(classNode);
    }

    private static final class Visitor extends ClassCodeVisitorSupport {
        private final SourceUnit source;
        private final String[] lines;
        private int closureDepth;

        Visitor(SourceUnit source, String[] lines) {
            this.source = source;
            this.lines = lines;
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
                    new ConstantExpression(digest(text(call))));
            if (args.get(0) instanceof MapExpression named) {
                named.addMapEntryExpression(entry);
            } else {
                var named = new MapExpression(List.of(entry));
                args.add(0, named);
                call.setArguments(new ArgumentListExpression(args));
            }
        }

        private String text(MethodCallExpression call) {
            var sb = new StringBuilder();
            for (int l = call.getLineNumber(); l <= call.getLastLineNumber() && l <= lines.length; l++) {
                sb.append(lines[l - 1].strip()).append('\n');
            }
            return sb.toString();
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
