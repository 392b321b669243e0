package io.orrery.emirax.internal.sandbox;

import io.orrery.emirax.sandbox.SandboxException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Regular expressions in rule code ({@code =~}, {@code ==~} and the string methods taking a pattern) run over a
 * {@link GuardedCharSequence}, so a catastrophic pattern stops when the rule's time limit passes.
 */
final class Regex {

    private static final Set<String> METHODS = Set.of("replaceAll", "replaceFirst", "matches", "split");

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

    /** {@code text =~ pattern}: a matcher over the guarded text. */
    static Matcher matcher(Object text, Object pattern) {
        Pattern p = pattern instanceof Pattern compiled ? compiled : Pattern.compile(String.valueOf(pattern));
        return p.matcher(guard(text == null ? "null" : text.toString()));
    }

    private static CharSequence guard(CharSequence text) {
        return new GuardedCharSequence(text);
    }
}
