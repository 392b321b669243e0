package io.orrery.samples.encodevideo.internal;

import io.orrery.api.function.FunctionFailure;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** A video's facts as ffprobe reports them: duration in seconds, its first video stream's codec, size and rate. */
record MediaFacts(double duration, String codec, int width, int height, double frameRate) {

    /** Parses ffprobe's {@code key=value} lines; a file without a video stream or a duration is not a video. */
    static MediaFacts parse(Path file, String ffprobeOutput) {
        Map<String, String> values = new HashMap<>();
        for (String line : ffprobeOutput.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.putIfAbsent(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        if (!values.containsKey("codec_name")) {
            throw new FunctionFailure(file + " has no video stream");
        }
        double duration = number(values.get("duration"));
        if (!(duration > 0)) {
            throw new FunctionFailure(file + " has no duration ffprobe can read");
        }
        return new MediaFacts(duration, values.get("codec_name"), (int) number(values.get("width")),
                (int) number(values.get("height")), rate(values.get("r_frame_rate")));
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("duration", duration);
        m.put("codec", codec);
        m.put("width", width);
        m.put("height", height);
        m.put("frameRate", frameRate);
        return m;
    }

    private static double number(String s) {
        try {
            return s == null ? Double.NaN : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    // "25/1", "30000/1001"
    private static double rate(String s) {
        if (s == null) {
            return Double.NaN;
        }
        int slash = s.indexOf('/');
        if (slash < 0) {
            return number(s);
        }
        double d = number(s.substring(slash + 1));
        return d > 0 ? number(s.substring(0, slash)) / d : Double.NaN;
    }
}
