package io.orrery.samples.encodevideo.internal;

import io.orrery.api.function.FunctionFailure;
import io.orrery.api.function.FunctionOutputs;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads a function's JSON arguments; a missing or mistyped one fails the call at once (retrying cannot fix it). */
final class MediaArgs {

    private MediaArgs() {
    }

    static String text(Map<String, Object> args, String name, String function) {
        if (args.get(name) instanceof String s && !s.isBlank()) {
            return s;
        }
        throw new FunctionFailure(function + ": argument '" + name + "' must be a non-empty string");
    }

    static int count(Map<String, Object> args, String name, int min, int max, String function) {
        if (args.get(name) instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() >= min
                && n.intValue() <= max) {
            return n.intValue();
        }
        throw new FunctionFailure(function + ": argument '" + name + "' must be a whole number from " + min + " to "
                + max);
    }

    static List<String> texts(Map<String, Object> args, String name, String function) {
        if (args.get(name) instanceof List<?> list && !list.isEmpty()
                && list.stream().allMatch(e -> e instanceof String s && !s.isBlank())) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new FunctionFailure(function + ": argument '" + name + "' must be a non-empty list of strings");
    }

    /** The job's directory for this call's files: the workflow passes its instance's key as {@code job}. */
    static Path job(Map<String, Object> args, String function) {
        try {
            return FunctionOutputs.forJob(text(args, "job", function));
        } catch (FunctionFailure e) {
            throw new FunctionFailure(function + ": argument 'job': " + e.getMessage());
        }
    }

    /**
     * A media file named by a local absolute path or a {@code file:} URI, which must be a readable regular file
     * here (in a function host: as its sandbox shows the machine).
     */
    static Path file(Map<String, Object> args, String name, String function) {
        return existing(text(args, name, function), name, function);
    }

    static Path existing(String location, String name, String function) {
        Path path = local(location, name, function);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new FunctionFailure(function + ": argument '" + name + "': " + location + " is not a readable file");
        }
        return path;
    }

    private static Path local(String location, String name, String function) {
        try {
            if (location.startsWith("file:")) {
                return Path.of(URI.create(location)).normalize();
            }
            Path path = Path.of(location);
            if (path.isAbsolute()) {
                return path.normalize();
            }
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new FunctionFailure(function + ": argument '" + name + "': " + location + " is not a local path "
                    + "or file: URI (" + e.getMessage() + ")");
        }
        throw new FunctionFailure(function + ": argument '" + name + "' must be an absolute local path or a file: "
                + "URI, not " + location);
    }

    static String uri(Path path) {
        return path.toUri().toString();
    }
}
