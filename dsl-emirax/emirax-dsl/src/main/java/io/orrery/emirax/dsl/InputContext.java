package io.orrery.emirax.dsl;

import io.orrery.api.engine.InputField;
import java.util.List;

/** The delegate of an {@code input { ... }} block. Types: String, Integer, Long, Double, BigDecimal, Number, Boolean, Map, List, Object. */
public class InputContext {

    private final List<InputField> fields;

    InputContext(List<InputField> fields) {
        this.fields = fields;
    }

    /** A field every request for a new instance must carry: {@code required 'source', String}. */
    public void required(String name, Class<?> type) {
        fields.add(new InputField(name, type, true, null));
    }

    /** A field that may be absent: {@code optional 'note', String}. */
    public void optional(String name, Class<?> type) {
        fields.add(new InputField(name, type, false, null));
    }

    /** A field with a default used when absent: {@code optional 'chunks', Integer, 31}. */
    public void optional(String name, Class<?> type, Object defaultValue) {
        fields.add(new InputField(name, type, false, defaultValue));
    }
}
