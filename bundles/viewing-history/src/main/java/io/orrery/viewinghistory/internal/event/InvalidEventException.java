package io.orrery.viewinghistory.internal.event;

/** An event that does not fit the schema; {@link #field()} names the member at fault. */
public final class InvalidEventException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidEventException(String field, String detail) {
        super(field + ": " + detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
