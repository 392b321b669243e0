package io.orrery.samples.encodevideo.internal;

import io.orrery.api.function.FunctionFailure;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The named encodings a workflow may ask for: ffmpeg's codec settings for each. Sizes keep the source's aspect
 * (width rounded to even); audio, when there is any, becomes AAC.
 */
enum Recipe {

    H264_360P("h264-360p", List.of("-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-vf", "scale=-2:360")),
    H264_720P("h264-720p", List.of("-c:v", "libx264", "-preset", "veryfast", "-crf", "22", "-vf", "scale=-2:720")),
    H264_1080P("h264-1080p", List.of("-c:v", "libx264", "-preset", "veryfast", "-crf", "21", "-vf",
            "scale=-2:1080")),
    AV1("av1", List.of("-c:v", "libsvtav1", "-preset", "12", "-crf", "40"));

    private final String label;
    private final List<String> video;

    Recipe(String label, List<String> video) {
        this.label = label;
        this.video = video;
    }

    String label() {
        return label;
    }

    /** ffmpeg's output options: the video settings, 4:2:0 for players, AAC audio if the input has any. */
    List<String> outputOptions() {
        List<String> all = new java.util.ArrayList<>(List.of("-map", "0:v:0", "-map", "0:a?"));
        all.addAll(video);
        all.addAll(List.of("-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k"));
        return all;
    }

    static Recipe named(String name, String function) {
        return Arrays.stream(values()).filter(r -> r.label.equals(name)).findFirst()
                .orElseThrow(() -> new FunctionFailure(function + ": no recipe named '" + name + "'; the recipes are "
                        + Arrays.stream(values()).map(Recipe::label).collect(Collectors.joining(", "))));
    }
}
