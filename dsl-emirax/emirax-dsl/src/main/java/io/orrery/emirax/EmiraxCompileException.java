package io.orrery.emirax;

import java.util.List;
import java.util.stream.Collectors;

/** An Emirax source set that does not compile; every problem carries its file, line and column. */
public class EmiraxCompileException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient List<CompileProblem> problems;

    public EmiraxCompileException(List<CompileProblem> problems) {
        super(problems.size() + " Emirax compile error(s):\n"
                + problems.stream().map(CompileProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<CompileProblem> problems() {
        return problems;
    }
}
