package io.orrery.api.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One declared input field: {@code required 'source', String} or {@code optional 'chunks', Integer, 31}.
 * Values are JSON data, so numbers arrive as any {@link Number}; {@link #accept} converts them to the declared type.
 */
public record InputField(String name, Class<?> type, boolean required, Object defaultValue) {

    private static final List<Class<?>> TYPES = List.of(String.class, Integer.class, Long.class, Double.class,
            BigDecimal.class, Number.class, Boolean.class, Map.class, List.class, Object.class);

    public InputField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("input field " + name + ": type " + type.getSimpleName()
                    + " is not JSON data; use one of " + TYPES.stream().map(Class::getSimpleName).toList());
        }
        if (defaultValue != null) {
            defaultValue = new InputField(name, type, false, null).accept(defaultValue);
        }
    }

    /** The value converted to the declared type; throws {@link InvalidInputException} naming the field. */
    public Object accept(Object value) {
        if (value == null) {
            if (required) {
                throw new InvalidInputException(name, "required, must not be null");
            }
            return null;
        }
        Object converted = convert(value);
        if (converted == null) {
            throw new InvalidInputException(name, "expected " + type.getSimpleName() + ", got "
                    + (value instanceof CharSequence ? "a string" : value.getClass().getSimpleName()));
        }
        return converted;
    }

    private Object convert(Object v) {
        if (type == Object.class) {
            return v;
        }
        if (type == String.class) {
            return v instanceof CharSequence ? v.toString() : null;
        }
        if (type == Boolean.class) {
            return v instanceof Boolean ? v : null;
        }
        if (type == Map.class) {
            return v instanceof Map ? v : null;
        }
        if (type == List.class) {
            return v instanceof List ? v : null;
        }
        if (!(v instanceof Number n)) {
            return null;
        }
        if (type == Integer.class || type == Long.class) {
            BigDecimal d = new BigDecimal(n.toString());
            if (d.stripTrailingZeros().scale() > 0) {
                return null;
            }
            BigInteger i = d.toBigInteger();
            if (type == Integer.class) {
                return i.bitLength() < 32 ? (Object) i.intValue() : null;
            }
            return i.bitLength() < 64 ? (Object) i.longValue() : null;
        }
        if (type == Double.class) {
            return n.doubleValue();
        }
        if (type == BigDecimal.class) {
            return new BigDecimal(n.toString());
        }
        return n;
    }
}
