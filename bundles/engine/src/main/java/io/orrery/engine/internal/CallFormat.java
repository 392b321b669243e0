package io.orrery.engine.internal;

import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.OutboundCall;
import java.util.Collection;
import java.util.Map;

/**
 * Calls and results as they cross the queues, in the binary form of {@link InstanceFormat} ({@link RecordOut}):
 * every firing sends a call and gets a result back, and encoding and decoding them as JSON with Jackson's bean
 * mapping cost the node about a tenth of its CPU. A first byte marks the form; JSON payloads (written before, or
 * for arguments that are not plain JSON data, see {@link #plain}) start with {@code '{'} and stay Jackson's.
 *
 * <p>Only values that read back exactly as Jackson reads their JSON are written in binary: strings, booleans,
 * Integer, Long, finite Double, lists and string-keyed maps of them. Anything else (a BigDecimal, a Short, a bean)
 * keeps the JSON path, so a function sees the same argument types whichever form carried them.
 */
public final class CallFormat {

    static final int CALL = 0xCA;
    static final int RESULT = 0xCB;
    private static final int VERSION = 1;
    private static final CallKind[] KINDS = CallKind.values();

    private CallFormat() {
    }

    /** Whether {@code bytes} were written here (else they are JSON). */
    public static boolean isBinary(byte[] bytes) {
        return bytes.length >= 2 && ((bytes[0] & 0xFF) == CALL || (bytes[0] & 0xFF) == RESULT);
    }

    /** The call in binary, or null if its arguments are not plain JSON data (the caller writes JSON then). */
    public static byte[] encode(OutboundCall c) {
        if (!plain(c.args())) {
            return null;
        }
        RecordOut out = new RecordOut();
        out.writeByte(CALL);
        out.writeByte(VERSION);
        writeInstance(out, c.instance());
        out.writeString(c.callId());
        out.writeName(c.rule());
        out.writeVarLong(c.kind() == null ? 0 : c.kind().ordinal() + 1L);
        out.writeName(c.function());
        out.writeMap(c.args());
        out.writeString(c.key());
        out.writeSignedLong(c.priority());
        out.writeSignedLong(c.timeoutMs());
        out.writeSignedLong(c.maxAttempts());
        out.writeString(c.exclusive());
        out.writeSignedLong(c.delayMs());
        out.writeString(c.traceId());
        out.writeString(c.parentSpanId());
        return out.toBytes();
    }

    /** The result in binary, or null if its value is not plain JSON data (the caller writes JSON then). */
    public static byte[] encode(CallResult r) {
        if (!plain(r.result())) {
            return null;
        }
        RecordOut out = new RecordOut();
        out.writeByte(RESULT);
        out.writeByte(VERSION);
        writeInstance(out, r.instance());
        out.writeString(r.callId());
        out.writeMap(r.result());
        out.writeString(r.error());
        out.writeSignedLong(r.attempts());
        return out.toBytes();
    }

    /** A call this class wrote; bytes that are not one are refused with an IllegalArgumentException. */
    public static OutboundCall decodeCall(byte[] bytes) {
        try {
            return readCall(open(bytes, CALL, "call"));
        } catch (IllegalArgumentException | ArithmeticException e) { // a count or number out of range: corrupt
            throw new IllegalArgumentException("call message unreadable: " + e.getMessage(), e);
        }
    }

    /** A result this class wrote; bytes that are not one are refused with an IllegalArgumentException. */
    public static CallResult decodeResult(byte[] bytes) {
        try {
            RecordIn in = open(bytes, RESULT, "result");
            return new CallResult(readInstance(in), in.readString(), in.readMap(), in.readString(), in.readInt());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("result message unreadable: " + e.getMessage(), e);
        }
    }

    private static OutboundCall readCall(RecordIn in) {
        InstanceId instance = readInstance(in);
        String callId = in.readString();
        String rule = in.readName();
        long kind = in.readVarLong();
        if (kind > KINDS.length) {
            throw in.corrupt("an unknown call kind " + kind);
        }
        return new OutboundCall(instance, callId, rule, kind == 0 ? null : KINDS[(int) kind - 1], in.readName(),
                in.readMap(), in.readString(), in.readInt(), in.readSignedLong(), in.readInt(), in.readString(),
                in.readSignedLong(), in.readString(), in.readString());
    }

    private static RecordIn open(byte[] bytes, int mark, String what) {
        if (bytes.length < 2 || (bytes[0] & 0xFF) != mark) {
            throw new IllegalArgumentException("not a binary " + what + " message");
        }
        RecordIn in = new RecordIn(bytes, 1);
        int version = in.readByte();
        if (version != VERSION) {
            throw in.corrupt(what + " message format version " + version + " (this node reads " + VERSION + ")");
        }
        return in;
    }

    private static void writeInstance(RecordOut out, InstanceId id) {
        out.writeName(id.tenant());
        out.writeName(id.workflow());
        out.writeString(id.key());
    }

    private static InstanceId readInstance(RecordIn in) {
        return new InstanceId(in.readName(), in.readName(), in.readString());
    }

    /** Data that reads back from the binary form exactly as from Jackson's JSON (see the class comment). */
    static boolean plain(Object v) {
        if (v == null || v instanceof String || v instanceof Integer || v instanceof Long || v instanceof Boolean) {
            return true;
        }
        if (v instanceof Double d) {
            return Double.isFinite(d);
        }
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String) || !plain(e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (v instanceof Collection<?> c) {
            for (Object o : c) {
                if (!plain(o)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
