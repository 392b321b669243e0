package io.orrery.shell.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.api.console.CommandLine;

/** The positional arguments typed before the one being completed, options and their values left out. */
final class CommandLineArguments {

    /** Options of the orrery commands that take a value. */
    private static final Set<String> WITH_VALUE = Set.of("-s", "--status", "-n", "--limit", "-o", "--offset");

    private CommandLineArguments() {
    }

    static List<String> positional(CommandLine commandLine) {
        String[] words = commandLine.getArguments();
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < Math.min(words.length, commandLine.getCursorArgumentIndex()); i++) {
            if (WITH_VALUE.contains(words[i])) {
                i++;
            } else if (!words[i].startsWith("-")) {
                positional.add(words[i]);
            }
        }
        return positional;
    }
}
