package io.orrery.engine.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Instance records to JSON bytes and back: plain data, readable by any member and by SQL tools. */
public final class InstanceCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final ObjectWriter WRITER = MAPPER.writerFor(InstanceRecord.class);
    private static final ObjectReader READER = MAPPER.readerFor(InstanceRecord.class);
    private static final ObjectReader MAP_READER = new ObjectMapper().readerFor(Map.class);
    private static final ObjectWriter MAP_WRITER = new ObjectMapper().writerFor(Map.class);

    private InstanceCodec() {
    }

    public static byte[] encode(InstanceRecord record) {
        try {
            return WRITER.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static InstanceRecord decode(byte[] json) {
        try {
            return READER.readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON object bytes to a map, for call arguments and results crossing a queue. */
    public static Map<String, Object> readMap(byte[] json) {
        try {
            return MAP_READER.readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] writeMap(Map<String, Object> map) {
        try {
            return MAP_WRITER.writeValueAsBytes(map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
