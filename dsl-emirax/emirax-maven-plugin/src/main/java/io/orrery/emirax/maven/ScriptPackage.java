package io.orrery.emirax.maven;

import io.orrery.emirax.CompileProblem;
import io.orrery.emirax.EmiraxSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Puts compiled scripts into a package. Groovy names a script class after its file and puts it in the default
 * package unless the source declares one; in a bundle the default package is a split package that drags other
 * jars' root files in, and on a test class path a packaged {@code encode_video.class} would shadow the test kit's
 * own compile of the same file. So a source without a {@code package} line gets one, prepended to its first line
 * so every line number stays as written; columns on line 1 are shifted back in errors.
 */
final class ScriptPackage {

    private static final Pattern DECLARED =
            Pattern.compile("(?s)\\A\\s*(?:(?://[^\\n]*\\n|/\\*.*?\\*/)\\s*)*package\\s");
    private static final Pattern VALID = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

    private final String name;
    private final Map<String, Integer> shifted = new HashMap<>();

    ScriptPackage(String name) {
        if (!VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("scriptPackage: '" + name + "' is not a Java package name");
        }
        this.name = name;
    }

    /** {@code emirax.<tenant>.internal}: not exported by maven-bundle-plugin's defaults, one per tenant. */
    static ScriptPackage forTenant(String tenant) {
        return new ScriptPackage("emirax." + tenant.replaceAll("[^A-Za-z0-9_]", "_") + ".internal");
    }

    String name() {
        return name;
    }

    List<EmiraxSource> apply(List<EmiraxSource> sources) {
        return sources.stream().map(this::apply).toList();
    }

    private EmiraxSource apply(EmiraxSource source) {
        if (DECLARED.matcher(source.text()).find()) {
            return source;
        }
        String prefix = "package " + name + "; ";
        shifted.put(source.path(), prefix.length());
        return new EmiraxSource(source.path(), prefix + source.text());
    }

    /** The problem as the tenant's own file has it. */
    CompileProblem unshift(CompileProblem p) {
        Integer by = shifted.get(p.file());
        if (by == null || p.line() != 1 || p.column() <= by) {
            return p;
        }
        return new CompileProblem(p.file(), p.line(), p.column() - by, p.message());
    }
}
