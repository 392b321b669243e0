package io.orrery.viewinghistory.internal.event;

import java.nio.charset.StandardCharsets;

/**
 * Reads an event written in exactly the canonical form of {@link EventCodec#write} (members in its order, no
 * whitespace, ASCII, no escapes, types in capitals, plain integers): what every record the intake publishes looks
 * like, read by matching bytes instead of tokenizing JSON. Anything else, valid or not, gets null and goes to
 * {@link StreamingEventReader}; so this reader only ever accepts what that one reads to the same event.
 */
final class CanonicalEventReader {

    private static final byte[] EVENT_ID = ascii("{\"eventId\":\"");
    private static final byte[] SESSION_ID = ascii(",\"sessionId\":\"");
    private static final byte[] USER_ID = ascii(",\"userId\":\"");
    private static final byte[] TITLE_ID = ascii(",\"titleId\":\"");
    private static final byte[] TYPE = ascii(",\"type\":\"");
    private static final byte[] SEQ = ascii(",\"seq\":");
    private static final byte[] POSITION = ascii(",\"positionMs\":");
    private static final byte[] CLIENT_TS = ascii(",\"clientTs\":");
    private static final byte[] DEVICE = ascii(",\"device\":\"");
    private static final byte[] CRITICAL = ascii(",\"critical\":");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final EventType[] TYPES = EventType.values();
    private static final byte[][] TYPE_NAMES = new byte[TYPES.length][];
    private static final int MAX_ID = 128;
    private static final int MAX_TEXT = 256;
    private static final int MAX_DIGITS = 18;   // always fits a long

    static {
        for (int i = 0; i < TYPES.length; i++) {
            TYPE_NAMES[i] = ascii(TYPES[i].name() + "\"");
        }
    }

    private final byte[] in;
    private int at;

    private CanonicalEventReader(byte[] in) {
        this.in = in;
    }

    /** The event, or null when the bytes are not in the canonical form. */
    static PlaybackEvent read(byte[] json) {
        return new CanonicalEventReader(json).event();
    }

    private PlaybackEvent event() {
        String eventId = expect(EVENT_ID) ? id() : null;
        String sessionId = eventId != null && expect(SESSION_ID) ? id() : null;
        String userId = sessionId != null && expect(USER_ID) ? id() : null;
        String titleId = userId != null && expect(TITLE_ID) ? id() : null;
        EventType type = titleId != null && expect(TYPE) ? type() : null;
        long seq = type != null && expect(SEQ) ? number() : -1;
        long position = seq >= 0 && expect(POSITION) ? number() : -1;
        long clientTs = position >= 0 && expect(CLIENT_TS) ? number() : -1;
        String device = clientTs >= 0 && expect(DEVICE) ? text() : null;
        if (device == null) {
            return null;
        }
        boolean critical = false;
        if (expect(CRITICAL)) {
            critical = expect(TRUE);
            if (!critical && !expect(FALSE)) {
                return null;
            }
        }
        if (at != in.length - 1 || in[at] != '}') {
            return null;
        }
        return new PlaybackEvent(eventId, sessionId, userId, titleId, type, seq, position, clientTs, device,
                critical);
    }

    private boolean expect(byte[] literal) {
        if (in.length - at < literal.length) {
            return false;
        }
        for (int i = 0; i < literal.length; i++) {
            if (in[at + i] != literal[i]) {
                return false;
            }
        }
        at += literal.length;
        return true;
    }

    /** An identifier up to its closing quote (1 to 128 of {@code [A-Za-z0-9._:@-]}), else null. */
    private String id() {
        int start = at;
        while (at < in.length && at - start <= MAX_ID) {
            byte c = in[at];
            if (c == '"') {
                return string(start, MAX_ID);
            }
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.'
                    || c == '_' || c == ':' || c == '@' || c == '-';
            if (!allowed) {
                return null;
            }
            at++;
        }
        return null;
    }

    /** Printable ASCII without quote or backslash up to the closing quote, not only spaces, else null. */
    private String text() {
        int start = at;
        boolean blank = true;
        while (at < in.length && at - start <= MAX_TEXT) {
            byte c = in[at];
            if (c == '"') {
                return blank ? null : string(start, MAX_TEXT);
            }
            if (c < 0x20 || c > 0x7e || c == '\\') {
                return null;
            }
            blank &= c == ' ';
            at++;
        }
        return null;
    }

    /** The text from {@code start} to the quote at {@code at} (then passed), if 1 to {@code max} long. */
    private String string(int start, int max) {
        int length = at - start;
        at++;
        return length < 1 || length > max ? null : new String(in, start, length, StandardCharsets.ISO_8859_1);
    }

    private EventType type() {
        for (int i = 0; i < TYPES.length; i++) {
            if (expect(TYPE_NAMES[i])) {
                return TYPES[i];
            }
        }
        return null;
    }

    /** A non-negative integer as JSON writes it (no sign, no leading zero), of at most 18 digits; else -1. */
    private long number() {
        int start = at;
        long value = 0;
        while (at < in.length && in[at] >= '0' && in[at] <= '9') {
            value = value * 10 + (in[at] - '0');
            at++;
            if (at - start > MAX_DIGITS) {
                return -1;
            }
        }
        int digits = at - start;
        if (digits == 0 || digits > 1 && in[start] == '0') {
            return -1;
        }
        return value;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
