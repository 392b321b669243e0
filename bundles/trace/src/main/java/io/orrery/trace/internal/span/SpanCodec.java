package io.orrery.trace.internal.span;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orrery.api.trace.FailureKind;
import io.orrery.api.trace.SpanRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + 32 * span.attributes().size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, span);
        } catch (IOException e) {
            throw new UncheckedIOException("span " + span.spanId() + " cannot be written", e);
        }
        return bytes.toByteArray();
    }

    /** Several spans as one value: each in turn, read back by {@link #readAll}. */
    public static byte[] writeAll(List<SpanRecord> spans) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(160 * spans.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (SpanRecord span : spans) {
                write(out, span);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("spans cannot be written", e);
        }
        return bytes.toByteArray();
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

    public static List<SpanRecord> readAll(byte[] bytes) {
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

    private static void write(DataOutputStream out, SpanRecord span) throws IOException {
        out.writeByte(VERSION);
        string(out, span.traceId());
        string(out, span.spanId());
        string(out, span.parentSpanId());
        string(out, span.tenant());
        string(out, span.name());
        out.writeLong(span.startMicros());
        out.writeLong(span.endMicros());
        out.writeByte(span.failure() == null ? NO_FAILURE : span.failure().ordinal());
        string(out, span.failureMessage());
        out.writeInt(span.attributes().size());
        for (Map.Entry<String, String> a : span.attributes().entrySet()) {
            string(out, a.getKey());
            string(out, a.getValue());
        }
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

    /** Length-prefixed UTF-8; -1 for null (writeUTF would refuse a message over 64 KB). */
    private static void string(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
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

    private static SpanRecord readJson(byte[] json) {
        try {
            return JSON.readValue(json, SpanRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a kept span does not parse", e);
        }
    }
}
