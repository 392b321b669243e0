package io.orrery.samples.encodevideo.internal;

import io.orrery.api.function.FunctionFailure;
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
        if (args.get(name) instanceof Number n && n.intValue() >= min && n.intValue() <= max) {
            return n.intValue();
        }
        throw new FunctionFailure(function + ": argument '" + name + "' must be a number from " + min + " to " + max);
    }

    static List<String> texts(Map<String, Object> args, String name, String function) {
        if (args.get(name) instanceof List<?> list && !list.isEmpty()
                && list.stream().allMatch(e -> e instanceof String)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new FunctionFailure(function + ": argument '" + name + "' must be a non-empty list of strings");
    }

    /** {@code s3://in/v.mp4#part-7.h264} to {@code s3://in/v.mp4}. */
    static String source(String partUri) {
        int hash = partUri.indexOf('#');
        return hash < 0 ? partUri : partUri.substring(0, hash);
    }
}
