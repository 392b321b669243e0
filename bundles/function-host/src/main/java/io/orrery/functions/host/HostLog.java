package io.orrery.functions.host;

import java.io.PrintStream;

/**
 * The host's own log lines, on stderr: the node forwards each line to its log under the tenant's name, so a line
 * says what happened, not where.
 */
final class HostLog {

    private static final PrintStream ERR = System.err;

    private HostLog() {
    }

    static void info(String message) {
        ERR.println("INFO " + message);
    }

    static void warn(String message, Throwable e) {
        ERR.println("WARN " + message + (e == null ? "" : ": " + e));
        if (e != null) {
            e.printStackTrace(ERR);
        }
    }
}
