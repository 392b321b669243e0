package io.orrery.functions.protocol;

/**
 * Exit statuses by which a function host says why it ended, for when its last message (a {@link HostMessage#FAILED}
 * with the reason) did not reach the node.
 */
public final class HostExit {

    /** It could not start. */
    public static final int START_FAILED = 2;
    /** Its stdin failed. */
    public static final int NODE_LOST = 3;
    /** Its JVM held more live threads than the host's thread limit. */
    public static final int THREAD_LIMIT = 12;
    /** It had started more processes (with theirs) than the host's process limit. */
    public static final int PROCESS_LIMIT = 13;
    /** Its threads and processes could not be counted, so no limit held. */
    public static final int UNCOUNTED = 14;

    private HostExit() {
    }

    /** What a status says, or null when it is not one of the host's own. */
    public static String describe(int status) {
        return switch (status) {
            case THREAD_LIMIT -> "it crossed its thread limit";
            case PROCESS_LIMIT -> "it crossed its process limit";
            case UNCOUNTED -> "its threads and processes could not be counted";
            default -> null;
        };
    }
}
