package io.orrery.functions.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The framing: one {@link HostMessage} per line, as JSON; a write may carry several lines ({@link Outbox}). JSON escapes line breaks inside strings, so a line is
 * always a whole message; anything else on the stream (a line that is not a message) is reported, never guessed at.
 */
public final class Wire {

    /** The longest line either side reads: a message past it is refused, not buffered without bound. */
    public static final int MAX_LINE = 16 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            // Groovy's GString and other char sequences a function may answer are JSON strings.
            .registerModule(new SimpleModule().addSerializer(CharSequence.class, ToStringSerializer.instance));

    private Wire() {
    }

    public static String write(HostMessage message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON data: " + e.getOriginalMessage(), e);
        }
    }

    /** The message as one line of UTF-8, its terminator included: what goes on the stream. */
    public static byte[] line(HostMessage message) {
        var out = new ByteArrayOutputStream(256);
        try {
            JSON.writeValue(out, message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON data: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from a byte array
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException naming what is wrong with the line */
    public static HostMessage read(FrameReader.Line line) {
        try {
            return typed(JSON.readValue(line.bytes(), line.offset(), line.length(), HostMessage.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a host message: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from a byte array
        }
    }

    private static HostMessage typed(HostMessage m) {
        if (m == null || m.type() == null) {
            throw new IllegalArgumentException("a message without a type");
        }
        return m;
    }

    /** @throws IllegalArgumentException naming what is wrong with the line */
    public static HostMessage read(String line) {
        try {
            HostMessage m = JSON.readValue(line, HostMessage.class);
            if (m == null || m.type() == null) {
                throw new IllegalArgumentException("a message without a type");
            }
            return m;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a host message: " + e.getOriginalMessage(), e);
        }
    }
}
