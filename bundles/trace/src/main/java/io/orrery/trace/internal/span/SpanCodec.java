package io.orrery.trace.internal.span;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.orrery.api.trace.FailureKind;
import io.orrery.api.trace.SpanRecord;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Spans as plain bytes: the form they take in the cluster's map and the store, so members never need an Orrery
 * class to hold them. The form is a compact binary one (a version byte, then the fields in order, strings as
 * length-prefixed UTF-8): encoding one costs a fraction of JSON's, and a node records one per firing and queue
 * wait. Spans written as JSON by an earlier version (their first byte is <code>{</code>) still read.
 */
public final class SpanCodec {

    private static final int VERSION = 1;
    private static final int NO_FAILURE = -1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SpanCodec() {
    }

    public static byte[] write(SpanRecord span) {
        Bytes out = new Bytes(96 + 32 * span.attributes().size());
        out.span(span);
        return out.toArray();
    }

    /**
     * The SDK's span in the same form, without a {@link SpanRecord} and its attribute maps in between: the tenant
     * and failure kind attributes ({@link SpanKeeper#TENANT}, {@link SpanKeeper#FAILURE}) become the span's
     * fields, the failure only of a span whose status is an error (a platform one when it names no kind), other
     * attributes are kept as strings, and times are in microseconds.
     */
    public static byte[] write(SpanData data) {
        return write(data, data.getAttributes().get(SpanKeeper.TENANT));
    }

    /** @param tenant the span's {@link SpanKeeper#TENANT} attribute, already looked up */
    static byte[] write(SpanData data, String tenant) {
        Bytes out = new Bytes(96 + 32 * data.getAttributes().size());
        out.span(data, tenant);
        return out.toArray();
    }

    /** Several spans as one value, each in turn, read back by {@link #readAll}; concatenated {@link #write}s. */
    public static byte[] concat(List<byte[]> spans) {
        int length = 0;
        for (byte[] span : spans) {
            length += span.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] span : spans) {
            System.arraycopy(span, 0, all, at, span.length);
            at += span.length;
        }
        return all;
    }

    public static SpanRecord read(byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == '{') {
            return readJson(bytes);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("a kept span does not parse", e);
        }
    }

    /** The spans of a {@link #concat}enated value, or of one span's (binary or JSON). */
    public static List<SpanRecord> readAll(byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == '{') {
            return List.of(readJson(bytes));
        }
        List<SpanRecord> spans = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            while (in.available() > 0) {
                spans.add(read(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("kept spans do not parse", e);
        }
        return spans;
    }

    private static SpanRecord read(DataInputStream in) throws IOException {
        int version = in.readByte();
        if (version != VERSION) {
            throw new IOException("unknown span encoding " + version);
        }
        String traceId = string(in);
        String spanId = string(in);
        String parent = string(in);
        String tenant = string(in);
        String name = string(in);
        long start = in.readLong();
        long end = in.readLong();
        int failure = in.readByte();
        String message = string(in);
        int count = in.readInt();
        Map<String, String> attributes = new HashMap<>(Math.max(4, count * 2));
        for (int i = 0; i < count; i++) {
            attributes.put(string(in), string(in));
        }
        return new SpanRecord(traceId, spanId, parent, tenant, name, start, end,
                failure == NO_FAILURE ? null : FailureKind.values()[failure], message, attributes);
    }

    private static String string(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        if (length > in.available()) {
            throw new EOFException("a string of " + length + " bytes runs past the span's end");
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /**
     * The encoder: a growable array written big-endian, as {@link DataInputStream} reads it back. Not a
     * {@code DataOutputStream}, whose every byte goes through a synchronized stream. A flush's spans are
     * written into one as they arrive ({@link SpanGroup.Gathering}), and each group's copied out once.
     */
    static final class Bytes {

        private final BiConsumer<AttributeKey<?>, Object> attributeWriter = this::attribute;
        private byte[] bytes;
        private int length;
        private int attributesWritten;

        Bytes(int capacity) {
            bytes = new byte[capacity];
        }

        /**
         * The SDK's span: see {@link SpanCodec#write(SpanData)}. The attributes' count is written after them, in
         * the place kept for it, so that it always matches what was written.
         */
        void span(SpanData data, String tenant) {
            Attributes attributes = data.getAttributes();
            String kind = attributes.get(SpanKeeper.FAILURE);
            boolean failed = data.getStatus().getStatusCode() == StatusCode.ERROR;
            head(data.getTraceId(), data.getSpanId(),
                    data.getParentSpanContext().isValid() ? data.getParentSpanId() : null,
                    tenant == null ? "" : tenant, data.getName(), data.getStartEpochNanos() / 1000,
                    data.getEndEpochNanos() / 1000,
                    failed ? (kind == null ? FailureKind.PLATFORM : FailureKind.valueOf(kind)) : null,
                    failed ? data.getStatus().getDescription() : null);
            int countAt = length;
            writeInt(0);
            attributesWritten = 0;
            attributes.forEach(attributeWriter);
            putInt(countAt, attributesWritten);
        }

        private void attribute(AttributeKey<?> key, Object value) {
            if (!key.equals(SpanKeeper.TENANT) && !key.equals(SpanKeeper.FAILURE)) {
                string(key.getKey());
                string(value instanceof String s ? s : String.valueOf(value));
                attributesWritten++;
            }
        }

        void span(SpanRecord span) {
            head(span.traceId(), span.spanId(), span.parentSpanId(), span.tenant(), span.name(), span.startMicros(),
                    span.endMicros(), span.failure(), span.failureMessage());
            writeInt(span.attributes().size());
            for (Map.Entry<String, String> a : span.attributes().entrySet()) {
                string(a.getKey());
                string(a.getValue());
            }
        }

        /** Every field before the attributes. */
        void head(String traceId, String spanId, String parentSpanId, String tenant, String name, long startMicros,
                  long endMicros, FailureKind failure, String failureMessage) {
            room(1);
            bytes[length++] = VERSION;
            string(traceId);
            string(spanId);
            string(parentSpanId);
            string(tenant);
            string(name);
            writeLong(startMicros);
            writeLong(endMicros);
            room(1);
            bytes[length++] = (byte) (failure == null ? NO_FAILURE : failure.ordinal());
            string(failureMessage);
        }

        /**
         * Length-prefixed UTF-8, -1 for null. An ASCII string (ids, names, most attributes) is copied char by char
         * straight into the array, without the intermediate array {@code getBytes} allocates for every string (in
         * the engine benchmark's profile, that allocation was a third of the flusher's time); any other string
         * goes through {@code getBytes}.
         */
        void string(String s) {
            if (s == null) {
                writeInt(-1);
                return;
            }
            int n = s.length();
            room(4 + n);
            int at = length + 4;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    utf8(s);
                    return;
                }
                bytes[at + i] = (byte) c;
            }
            writeInt(n);
            length += n;
        }

        private void utf8(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            writeInt(utf8.length);
            room(utf8.length);
            System.arraycopy(utf8, 0, bytes, length, utf8.length);
            length += utf8.length;
        }

        int length() {
            return length;
        }

        int capacity() {
            return bytes.length;
        }

        /** Copies bytes {@code from} to {@code to} into {@code target} at {@code at}; answers where they end there. */
        int copyTo(int from, int to, byte[] target, int at) {
            System.arraycopy(bytes, from, target, at, to - from);
            return at + to - from;
        }

        /** Forgets what was written after {@code mark} (a span that could not be written whole). */
        void truncate(int mark) {
            length = mark;
        }

        private void putInt(int at, int v) {
            bytes[at] = (byte) (v >>> 24);
            bytes[at + 1] = (byte) (v >>> 16);
            bytes[at + 2] = (byte) (v >>> 8);
            bytes[at + 3] = (byte) v;
        }

        void writeInt(int v) {
            room(4);
            bytes[length++] = (byte) (v >>> 24);
            bytes[length++] = (byte) (v >>> 16);
            bytes[length++] = (byte) (v >>> 8);
            bytes[length++] = (byte) v;
        }

        private void writeLong(long v) {
            writeInt((int) (v >>> 32));
            writeInt((int) v);
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        byte[] toArray() {
            return Arrays.copyOf(bytes, length);
        }
    }

    private static SpanRecord readJson(byte[] json) {
        try {
            return JSON.readValue(json, SpanRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a kept span does not parse", e);
        }
    }
}
