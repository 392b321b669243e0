package io.orrery.shell.workflow;

import org.apache.karaf.shell.api.console.CommandLine;

/** A command line as the console hands it to a completer: the cursor at the end of the last word. */
public record TypedLine(String[] words) implements CommandLine {

    public static TypedLine of(String... words) {
        return new TypedLine(words);
    }

    @Override public int getCursorArgumentIndex() { return words.length - 1; }
    @Override public String getCursorArgument() { return words[words.length - 1]; }
    @Override public int getArgumentPosition() { return getCursorArgument().length(); }
    @Override public String[] getArguments() { return words; }
    @Override public int getBufferPosition() { return getBuffer().length(); }
    @Override public String getBuffer() { return String.join(" ", words); }
}
