package io.orrery.engine.internal;

/** The type tags of JSON data values in {@link InstanceFormat}; their numbers are part of the stored format. */
final class ValueTag {

    static final int NULL = 0;
    static final int FALSE = 1;
    static final int TRUE = 2;
    static final int INTEGER = 3;
    static final int DOUBLE = 4;
    static final int STRING = 5;
    static final int LIST = 6;
    static final int MAP = 7;
    static final int DECIMAL = 8;
    static final int BIG_INTEGER = 9;

    private ValueTag() {
    }
}
