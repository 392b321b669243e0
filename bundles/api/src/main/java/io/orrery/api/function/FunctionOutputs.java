package io.orrery.api.function;

import java.nio.file.Path;

/**
 * Where a function writes files that outlive its call (an encoded video, an index), for the workflow and its
 * clients to read by {@code file:} URI. In a tenant's function host it is the tenant's own outputs directory, which
 * the node creates, keeps across host restarts and binds writable into that host alone (every other directory the
 * host sees is read-only or empty). Elsewhere (a test kit run) it is {@code orrery-function-outputs} under
 * {@code java.io.tmpdir}, unless the system property {@value #PROPERTY} names a directory.
 *
 * <p>A function keeps each workflow instance's files apart, in a directory named after something of the call
 * (its instance's key, see {@link #forJob}).
 */
public final class FunctionOutputs {

    /** The system property the node sets on a tenant's function host. */
    public static final String PROPERTY = "orrery.function.outputs";

    private FunctionOutputs() {
    }

    public static Path root() {
        String configured = System.getProperty(PROPERTY);
        return (configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "orrery-function-outputs")).toAbsolutePath();
    }

    /**
     * The directory of one job (one workflow instance) under {@link #root()}: the name keeps letters, digits, '.',
     * '_' and '-', and anything else becomes '_', so a key like {@code ../../etc} stays inside the root.
     *
     * @throws FunctionFailure when the name is empty or made only of dots
     */
    public static Path forJob(String job) {
        if (job == null || job.isBlank() || job.length() > 200) {
            throw new FunctionFailure("a job name must have 1 to 200 characters, was " + (job == null ? "missing"
                    : job.length() + " long"));
        }
        String name = job.replaceAll("[^A-Za-z0-9._-]", "_");
        if (name.chars().allMatch(c -> c == '.')) {
            throw new FunctionFailure("a job name must not be made only of dots, was '" + job + "'");
        }
        return root().resolve(name);
    }
}
