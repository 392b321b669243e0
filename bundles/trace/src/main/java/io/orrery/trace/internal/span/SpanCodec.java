package io.orrery.trace.internal.span;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orrery.api.trace.SpanRecord;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Spans as JSON bytes: the form they take in the cluster's map and the store, so members never need an Orrery
 * class to hold them.
 */
public final class SpanCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SpanCodec() {
    }

    public static byte[] write(SpanRecord span) {
        try {
            return JSON.writeValueAsBytes(span);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("span " + span.spanId() + " cannot be written", e);
        }
    }

    public static SpanRecord read(byte[] json) {
        try {
            return JSON.readValue(json, SpanRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a kept span does not parse", e);
        }
    }
}
