package io.orrery.itests;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/**
 * The sample tenant projects under sample-rules/, as the build left them: each project's bundle, uploaded by the
 * tests as a tenant would. The directory comes from {@code orrery.it.sampleRules} inside the container and from
 * {@code orrery.sampleRules} in the test driver.
 */
final class SampleRules {

    private SampleRules() {
    }

    /** The bundle built in sample-rules/{project}/target. */
    static byte[] bundle(String project) throws IOException {
        String root = System.getProperty("orrery.it.sampleRules", System.getProperty("orrery.sampleRules"));
        File target = new File(root, project + "/target");
        File[] jars = target.listFiles((dir, name) -> name.endsWith(".jar") && !name.contains("tests"));
        if (jars == null || jars.length != 1) {
            throw new AssertionError("not one jar built in " + target);
        }
        return Files.readAllBytes(jars[0].toPath());
    }

    /** The last line of a shell command's output (where orrery:tenant-create prints the token), stripped. */
    static String lastLine(String output) {
        List<String> lines = output.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    }
}
