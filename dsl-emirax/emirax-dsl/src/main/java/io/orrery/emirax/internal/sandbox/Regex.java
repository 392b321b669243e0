package io.orrery.emirax.internal.sandbox;

import io.orrery.emirax.sandbox.SandboxException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.codehaus.groovy.runtime.InvokerHelper;

/**
 * Regular expressions in rule code ({@code =~}, {@code ==~} and the string methods taking a pattern) run over a
 * {@link GuardedCharSequence}, so a catastrophic pattern stops when the rule's time limit passes.
 */
final class Regex {

    private static final Set<String> METHODS = Set.of("replaceAll", "replaceFirst", "matches", "split");
    private static final Set<String> SAFE_ON_PATTERN = Set.of("toString", "pattern", "hashCode", "flags");

    private Regex() {
    }

    static boolean handles(String name, Object[] args) {
        return METHODS.contains(name) && args.length >= 1 && (args[0] instanceof CharSequence
                || args[0] instanceof Pattern);
    }

    static Object call(CharSequence text, String name, Object[] args) {
        Matcher m = matcher(text, args[0]);
        return switch (name) {
            case "matches" -> m.matches();
            case "split" -> m.pattern().split(guard(text), args.length == 1 ? 0 : ((Number) args[1]).intValue());
            default -> {
                if (args.length != 2 || !(args[1] instanceof CharSequence replacement)) {
                    throw new SandboxException(name + " takes a pattern and a replacement string in rules");
                }
                yield name.equals("replaceAll") ? m.replaceAll(replacement.toString())
                        : m.replaceFirst(replacement.toString());
            }
        };
    }

    /** Whether a call is given a compiled pattern (or made on one) that {@link #handles} did not take. */
    static boolean involved(Object receiver, Object[] args) {
        if (receiver instanceof Pattern) {
            return true;
        }
        for (Object a : args) {
            if (a instanceof Pattern) {
                return true;
            }
        }
        return false;
    }

    /**
     * Any other method given a pattern would run it over unguarded text ({@code 'x' - ~/re/}, {@code list.grep(~/re/)},
     * {@code (~/re/).isCase(x)}): the tests a pattern is for run through {@link CaseTest}; the rest is refused.
     */
    static Object callWithPattern(Object receiver, String name, Object[] args) {
        if (receiver instanceof Pattern pattern && name.equals("isCase") && args.length == 1) {
            return Operators.isCase(pattern, args[0]);
        }
        if (name.equals("grep") && args.length == 1 && args[0] instanceof Pattern pattern) {
            return InvokerHelper.invokeMethod(receiver, "grep", new Object[] {new CaseTest(pattern)});
        }
        if (receiver instanceof Pattern && args.length == 0 && SAFE_ON_PATTERN.contains(name)) {
            return InvokerHelper.invokeMethod(receiver, name, args);
        }
        throw new SandboxException("rules may use a pattern only with ==~, =~, in, switch, grep, matches, split, "
                + "replaceAll and replaceFirst, not with '" + name + "'");
    }

    /** {@code text =~ pattern}: a matcher over the guarded text. */
    static Matcher matcher(Object text, Object pattern) {
        Pattern p = pattern instanceof Pattern compiled ? compiled : Pattern.compile(String.valueOf(pattern));
        return p.matcher(guard(text == null ? "null" : text.toString()));
    }

    private static CharSequence guard(CharSequence text) {
        return new GuardedCharSequence(text);
    }
}
