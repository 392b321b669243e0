package io.orrery.engine.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what {@link RecordOut} wrote. Bytes that end early or hold an unknown tag are refused with an
 * {@link IllegalArgumentException} naming the offset, never read past.
 */
final class RecordIn {

    private final byte[] buf;
    private int pos;
    private final List<String> names = new ArrayList<>();

    RecordIn(byte[] buf, int pos) {
        this.buf = buf;
        this.pos = pos;
    }

    int readByte() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    long readFixedLong() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    long readVarLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw corrupt("a variable-length integer longer than 64 bits");
    }

    long readSignedLong() {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    int readInt() {
        return Math.toIntExact(readSignedLong());
    }

    int readSize() {
        long n = readVarLong();
        if (n > buf.length - pos) { // every element takes a byte at least
            throw corrupt("a count of " + n + " with " + (buf.length - pos) + " bytes left");
        }
        return (int) n;
    }

    String readString() {
        long n = readVarLong();
        if (n == 0) {
            return null;
        }
        int len = Math.toIntExact(n - 1);
        need(len);
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    String readName() {
        long ref = readVarLong();
        if (ref == 0) {
            return null;
        }
        if (ref == 1) {
            String name = readString();
            names.add(name);
            return name;
        }
        if (ref - 2 >= names.size()) {
            throw corrupt("a reference to name " + (ref - 2) + " of " + names.size());
        }
        return names.get((int) (ref - 2));
    }

    byte[] readBytes() {
        int n = readSize();
        byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    /** JSON data as Jackson's untyped reading gives it: integers as Integer when they fit, Long otherwise. */
    Object readValue() {
        int tag = readByte();
        return switch (tag) {
            case ValueTag.NULL -> null;
            case ValueTag.FALSE -> Boolean.FALSE;
            case ValueTag.TRUE -> Boolean.TRUE;
            case ValueTag.INTEGER -> {
                long v = readSignedLong();
                yield v == (int) v ? (Object) (int) v : (Object) v;
            }
            case ValueTag.DOUBLE -> Double.longBitsToDouble(readFixedLong());
            case ValueTag.STRING -> readString();
            case ValueTag.LIST -> {
                int n = readSize();
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(readValue());
                }
                yield list;
            }
            case ValueTag.MAP -> readMapBody();
            case ValueTag.DECIMAL -> {
                int scale = readInt();
                yield new BigDecimal(new BigInteger(readBytes()), scale);
            }
            case ValueTag.BIG_INTEGER -> new BigInteger(readBytes());
            default -> throw corrupt("an unknown value tag " + tag);
        };
    }

    /** A map written by {@link RecordOut#writeMap}, or null. */
    Map<String, Object> readMap() {
        return readVarLong() == 0 ? null : readMapBody();
    }

    private Map<String, Object> readMapBody() {
        int n = readSize();
        Map<String, Object> m = new LinkedHashMap<>(Math.max(4, n * 4 / 3 + 1));
        for (int i = 0; i < n; i++) {
            m.put(readName(), readValue());
        }
        return m;
    }

    private void need(int n) {
        if (n < 0 || pos + n > buf.length) {
            throw corrupt("the record ends early");
        }
    }

    IllegalArgumentException corrupt(String what) {
        return new IllegalArgumentException("instance record unreadable at byte " + pos + ": " + what);
    }
}
