package io.orrery.api.engine;

/** A request whose input does not fit the workflow's {@code input} block; names the offending field. */
public class InvalidInputException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidInputException(String field, String problem) {
        super("input." + field + ": " + problem);
        this.field = field;
    }

    /** The field's name as declared, without the {@code input.} prefix. */
    public String field() {
        return field;
    }
}
