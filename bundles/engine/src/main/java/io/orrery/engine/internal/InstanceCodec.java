package io.orrery.engine.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Instance records to bytes and back: plain data that any member holds without Orrery's classes. Records are
 * written in {@link InstanceFormat}, a compact binary form made for the cost of a save (every save encodes the whole
 * record, and the map, its backups and the store each hold it). Records stored before in Smile (Jackson's binary
 * JSON) or as JSON text are still read.
 */
public final class InstanceCodec {

    private static final ObjectMapper MAPPER = configure(new ObjectMapper());
    private static final ObjectMapper SMILE = configure(new ObjectMapper(new SmileFactory()));
    private static final ObjectReader READER = SMILE.readerFor(InstanceRecord.class);
    private static final ObjectReader JSON_READER = MAPPER.readerFor(InstanceRecord.class);
    private static final ObjectReader MAP_READER = new ObjectMapper().readerFor(Map.class);
    private static final ObjectWriter MAP_WRITER = new ObjectMapper().writerFor(Map.class);

    private InstanceCodec() {
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** Smile's header, {@code :)\n}: what tells a record written since from one written as JSON text. */
    static boolean isSmile(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == ':' && bytes[1] == ')' && bytes[2] == '\n';
    }

    public static byte[] encode(InstanceRecord record) {
        return InstanceFormat.encode(record);
    }

    public static InstanceRecord decode(byte[] stored) {
        if (InstanceFormat.isBinary(stored)) {
            return InstanceFormat.decode(stored);
        }
        try {
            return (isSmile(stored) ? READER : JSON_READER).readValue(stored);
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
