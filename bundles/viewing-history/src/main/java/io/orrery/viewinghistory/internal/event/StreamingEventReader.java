package io.orrery.viewinghistory.internal.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Locale;

/**
 * Reads a well-formed, valid playback event in one pass over its bytes, without a JSON tree: the processor's path
 * for every Kafka record. Anything it does not accept as it stands (unknown or missing members, wrong types, bad
 * identifiers, malformed JSON) it leaves to {@link EventCodec#read}, which names the fault; so both paths accept
 * exactly the same events and refuse the rest with the same message.
 */
final class StreamingEventReader {

    private static final int MAX_ID = 128;

    private String eventId;
    private String sessionId;
    private String userId;
    private String titleId;
    private EventType type;
    private long seq = -1;
    private long positionMs = -1;
    private long clientTs = -1;
    private String device;
    private boolean critical;

    private StreamingEventReader() {
    }

    /** The event, or null when the bytes need the checking path to say what is wrong. */
    static PlaybackEvent read(byte[] json) {
        try (JsonParser parser = EventCodec.MAPPER.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            StreamingEventReader event = new StreamingEventReader();
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                if (token != JsonToken.FIELD_NAME || !event.member(parser.currentName(), parser)) {
                    return null;
                }
            }
            return event.complete();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Takes one member's value; false when it is unknown or not as it must be. */
    private boolean member(String name, JsonParser parser) throws IOException {
        JsonToken value = parser.nextToken();
        if (value == null || value.isStructStart()) {
            return false; // no member takes an object or array; reading on would mistake nested members for ours
        }
        switch (name) {
            case "eventId" -> eventId = id(parser, value);
            case "sessionId" -> sessionId = id(parser, value);
            case "userId" -> userId = id(parser, value);
            case "titleId" -> titleId = id(parser, value);
            case "device" -> device = text(parser, value);
            case "type" -> type = type(text(parser, value));
            case "seq" -> seq = number(parser, value);
            case "positionMs" -> positionMs = number(parser, value);
            case "clientTs" -> clientTs = number(parser, value);
            case "critical" -> {
                if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE && value != JsonToken.VALUE_NULL) {
                    return false;
                }
                critical = value == JsonToken.VALUE_TRUE;
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private PlaybackEvent complete() {
        if (eventId == null || sessionId == null || userId == null || titleId == null || device == null
                || type == null || seq < 0 || positionMs < 0 || clientTs < 0) {
            return null;
        }
        return new PlaybackEvent(eventId, sessionId, userId, titleId, type, seq, positionMs, clientTs, device,
                critical);
    }

    /** A string member's value, or null (read as missing, so the checking path names it). */
    private static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            return null;
        }
        String text = parser.getText();
        return EventCodec.isPlainText(text) ? text : null;
    }

    private static String id(JsonParser parser, JsonToken value) throws IOException {
        String text = text(parser, value);
        if (text == null || text.length() > MAX_ID) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.'
                    || c == '_' || c == ':' || c == '@' || c == '-';
            if (!allowed) {
                return null;
            }
        }
        return text;
    }

    private static EventType type(String text) {
        if (text == null) {
            return null;
        }
        try {
            return EventType.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A non-negative integer that fits a long, else -1. */
    private static long number(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            return -1;
        }
        JsonParser.NumberType kind = parser.getNumberType();
        if (kind != JsonParser.NumberType.INT && kind != JsonParser.NumberType.LONG) {
            return -1;
        }
        return Math.max(-1, parser.getLongValue());
    }
}
