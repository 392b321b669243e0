package io.orrery.emirax;

/** One compile error, positioned in its source file (line and column from 1; 0 when unknown). */
public record CompileProblem(String file, int line, int column, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
