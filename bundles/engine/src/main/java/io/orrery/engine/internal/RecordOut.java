package io.orrery.engine.internal;

import io.orrery.api.engine.JsonData;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The bytes of one record being written in {@link InstanceFormat}: variable-length integers, strings, and
 * <em>names</em> (rule names, fact keys, map keys, enum constants), each written once per record and referred to by
 * number after that, because the same few names recur all through a record (in reads, fingerprints, the firing log).
 */
final class RecordOut {

    private byte[] buf = new byte[512];
    private int size;
    private final Map<String, Integer> names = new HashMap<>();

    byte[] toBytes() {
        return Arrays.copyOf(buf, size);
    }

    void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    void writeFixedLong(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
    }

    /** An unsigned variable-length integer: 7 bits a byte, low bits first. */
    void writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    /** A signed one, zig-zag encoded so that small negative numbers stay short. */
    void writeSignedLong(long v) {
        writeVarLong((v << 1) ^ (v >> 63));
    }

    void writeSize(int n) {
        writeVarLong(n);
    }

    /** A string or null: its UTF-8 length plus one (0 for null), then the bytes. */
    void writeString(String s) {
        if (s == null) {
            writeVarLong(0);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeVarLong(b.length + 1L);
        writeRaw(b);
    }

    /** A name or null: 0 for null, 1 followed by the string the first time, 2 + its number after that. */
    void writeName(String name) {
        if (name == null) {
            writeVarLong(0);
            return;
        }
        Integer seen = names.get(name);
        if (seen != null) {
            writeVarLong(seen + 2L);
            return;
        }
        names.put(name, names.size());
        writeVarLong(1);
        writeString(name);
    }

    void writeDouble(double d) {
        writeFixedLong(Double.doubleToRawLongBits(d));
    }

    void writeBytes(byte[] b) {
        writeSize(b.length);
        writeRaw(b);
    }

    /** Plain JSON data, as {@link JsonData} keeps it: null, booleans, numbers, strings, lists and string-keyed maps. */
    void writeValue(Object v) {
        if (v == null) {
            writeByte(ValueTag.NULL);
        } else if (v instanceof String s) {
            writeByte(ValueTag.STRING);
            writeString(s);
        } else if (v instanceof Integer || v instanceof Long) {
            writeByte(ValueTag.INTEGER);
            writeSignedLong(((Number) v).longValue());
        } else if (v instanceof Boolean b) {
            writeByte(b ? ValueTag.TRUE : ValueTag.FALSE);
        } else if (v instanceof Double d) {
            writeByte(ValueTag.DOUBLE);
            writeDouble(d);
        } else if (v instanceof Map<?, ?> m) {
            writeByte(ValueTag.MAP);
            writeMapBody(m);
        } else if (v instanceof Collection<?> c) {
            writeByte(ValueTag.LIST);
            writeSize(c.size());
            c.forEach(this::writeValue);
        } else if (v instanceof BigDecimal d) {
            writeByte(ValueTag.DECIMAL);
            writeSignedLong(d.scale());
            writeBytes(d.unscaledValue().toByteArray());
        } else if (v instanceof BigInteger i) {
            writeByte(ValueTag.BIG_INTEGER);
            writeBytes(i.toByteArray());
        } else if (v instanceof Number n) { // Float, Short, Byte: JsonData copies them to the types above already
            writeByte(ValueTag.DOUBLE);
            writeDouble(n.doubleValue());
        } else {
            throw new IllegalArgumentException("a " + v.getClass().getName() + " is not JSON data");
        }
    }

    /** A map (null allowed) of string keys to JSON data, without a tag: the record's own maps. */
    void writeMap(Map<?, ?> m) {
        if (m == null) {
            writeVarLong(0);
            return;
        }
        writeVarLong(1);
        writeMapBody(m);
    }

    private void writeMapBody(Map<?, ?> m) {
        writeSize(m.size());
        for (Map.Entry<?, ?> e : m.entrySet()) {
            writeName(String.valueOf(e.getKey()));
            writeValue(e.getValue());
        }
    }

    private void writeRaw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
