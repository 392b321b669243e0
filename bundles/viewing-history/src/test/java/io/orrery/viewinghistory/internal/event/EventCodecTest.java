package io.orrery.viewinghistory.internal.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private static final String GOOD = "{\"eventId\":\"e1\",\"sessionId\":\"s1\",\"userId\":\"u1\",\"titleId\":\"t1\","
            + "\"type\":\"HEARTBEAT\",\"seq\":4,\"positionMs\":1200,\"clientTs\":1700000000000,\"device\":\"tv\"}";

    @Test
    void readsAndWritesTheCanonicalForm() {
        PlaybackEvent event = parse(GOOD);
        assertThat(event).isEqualTo(new PlaybackEvent("e1", "s1", "u1", "t1", EventType.HEARTBEAT, 4, 1200,
                1_700_000_000_000L, "tv", false));
        assertThat(EventCodec.parse(EventCodec.write(event))).isEqualTo(event);
    }

    @Test
    void eachBadMemberIsNamed() {
        assertField(GOOD.replace("\"seq\":4", "\"seq\":-4"), "seq");
        assertField(GOOD.replace("\"seq\":4", "\"seq\":4.5"), "seq");
        assertField(GOOD.replace("\"positionMs\":1200", "\"positionMs\":\"1200\""), "positionMs");
        assertField(GOOD.replace("HEARTBEAT", "REWIND"), "type");
        assertField(GOOD.replace("\"userId\":\"u1\",", ""), "userId");
        assertField(GOOD.replace("\"sessionId\":\"s1\"", "\"sessionId\":\"a b\""), "sessionId");
        assertField(GOOD.replace("}", ",\"critical\":\"yes\"}"), "critical");
        assertField(GOOD.replace("}", ",\"extra\":1}"), "extra");
        // PostgreSQL stores no NUL in text: accepted, such an event could never be written
        assertField(GOOD.replace("\"device\":\"tv\"", "\"device\":\"tv\\u0000\""), "device");
        assertField(GOOD.replace("\"device\":\"tv\"", "\"device\":\"t\\tv\""), "device");
        assertField("[1]", "event");
        assertField("{oops", "body");
    }

    @Test
    void theOnePassReaderAcceptsAndRefusesExactlyWhatTheCheckingPathDoes() {
        String nested = GOOD.replace("\"seq\":4", "\"seq\":" + GOOD.replace("}", ",\"x\":1}"));
        List<String> inputs = List.of(GOOD,
                GOOD.replace("HEARTBEAT", "heartbeat"),
                GOOD.replace("}", ",\"critical\":true}"),
                GOOD.replace("}", ",\"critical\":null}"),
                GOOD.replace("}", ",\"seq\":7}"),                          // a repeated member: the last counts
                GOOD.replace("}", ",\"seq\":\"7\"}"),
                GOOD.replace("\"seq\":4", "\"seq\":null"),
                GOOD.replace("\"seq\":4", "\"seq\":99999999999999999999"),
                GOOD.replace("\"seq\":4", "\"seq\":[4]"),
                GOOD.replace("\"seq\":4", "\"seq\":{\"eventId\":\"e9\"}"),
                nested,                                                     // a whole event smuggled inside a member
                GOOD.replace("\"device\":\"tv\"", "\"device\":\"  \""),
                GOOD.replace("\"device\":\"tv\"", "\"device\":\"" + "d".repeat(257) + "\""),
                GOOD.replace("\"device\":\"tv\"", "\"device\":\"living room tv\""),
                GOOD.replace("\"device\":\"tv\"", "\"device\":\"tv\\u0000\""),
                GOOD.replace("\"device\":\"tv\"", "\"device\":\"tv\\u007f\""),
                GOOD.replace("\"titleId\":\"t1\"", "\"titleId\":\"" + "t".repeat(129) + "\""),
                GOOD.replace("\"titleId\":\"t1\"", "\"titleId\":\"" + "t".repeat(128) + "\""),
                GOOD.replace("\"titleId\":\"t1\"", "\"titleId\":\"t\u00e9\""),
                GOOD.replace("\"titleId\":\"t1\"", "\"titleId\":\"t/1\""),
                GOOD + " trailing",
                GOOD.substring(0, GOOD.length() - 1),
                "", "null", "\"text\"", "{}", "[" + GOOD + "]");
        assertThat(StreamingEventReader.read(GOOD.getBytes(StandardCharsets.UTF_8))).isEqualTo(parse(GOOD));
        for (String input : inputs) {
            byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
            assertThat(outcome(() -> EventCodec.parse(bytes)))
                    .as(input)
                    .isEqualTo(outcome(() -> EventCodec.read(EventCodec.MAPPER.readTree(bytes))));
        }
    }

    @Test
    void theCanonicalReaderReadsWhatTheIntakeWritesAndLeavesEverythingElseToTheOnePassReader() {
        List<PlaybackEvent> written = List.of(
                new PlaybackEvent("e1", "s1", "u1", "t1", EventType.START, 0, 0, 0, "tv", false),
                new PlaybackEvent("e.2:x@y-z_", "S-9", "u", "t", EventType.STOP, 999_999_999_999_999_999L, 10,
                        1_700_000_000_000L, "living room tv / 4K", true),
                new PlaybackEvent("e3", "s3", "u3", "t".repeat(128), EventType.SEEK, 7, 1, 2, "d".repeat(256), false));
        for (PlaybackEvent event : written) {
            assertThat(CanonicalEventReader.read(EventCodec.write(event))).isEqualTo(event);
        }
        String canonical = new String(EventCodec.write(written.get(0)), StandardCharsets.UTF_8);
        List<String> others = List.of(GOOD,                                 // no critical member
                canonical.replace("false}", "true}"),
                canonical.replace("false}", "null}"),
                canonical.replace("false}", "false,\"seq\":7}"),             // a repeated member
                canonical.replace("\"seq\":0", "\"seq\":00"),
                canonical.replace("\"seq\":0", "\"seq\":-0"),
                canonical.replace("\"seq\":0", "\"seq\":0.5"),
                canonical.replace("\"seq\":0", "\"seq\":1e3"),
                canonical.replace("\"seq\":0", "\"seq\":1234567890123456789"),
                canonical.replace("\"seq\":0", "\"seq\":99999999999999999999"),
                canonical.replace("\"seq\":0", "\"seq\":\"0\""),
                canonical.replace("START", "start"),
                canonical.replace("START", "STARTED"),
                canonical.replace("\"tv\"", "\"  \""),
                canonical.replace("\"tv\"", "\"t\\\"v\""),
                canonical.replace("\"tv\"", "\"t\\u0076\""),
                canonical.replace("\"tv\"", "\"t\u00e9\""),
                canonical.replace("\"tv\"", "\"\""),
                canonical.replace("\"tv\"", "\"" + "d".repeat(257) + "\""),
                canonical.replace("\"t1\"", "\"" + "t".repeat(129) + "\""),
                canonical.replace("\"t1\"", "\"t/1\""),
                canonical.replace("\"t1\"", "\"\""),
                canonical.replace(",\"userId\"", ", \"userId\""),
                canonical + " ",
                canonical.substring(0, canonical.length() - 1),
                canonical.substring(0, canonical.length() / 2),
                "", "{", "{\"eventId\":\"e1\"}");
        for (String input : others) {
            byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
            PlaybackEvent fast = CanonicalEventReader.read(bytes);
            if (fast != null) {
                assertThat(fast).as(input).isEqualTo(StreamingEventReader.read(bytes));
            }
            assertThat(outcome(() -> EventCodec.parse(bytes)))
                    .as(input)
                    .isEqualTo(outcome(() -> EventCodec.read(EventCodec.MAPPER.readTree(bytes))));
        }
        assertThat(CanonicalEventReader.read(GOOD.getBytes(StandardCharsets.UTF_8))).isNotNull();
        assertThat(CanonicalEventReader.read(canonical.replace("START", "start").getBytes(StandardCharsets.UTF_8)))
                .isNull();
    }

    /** The event, or the refused member and message. */
    private static String outcome(java.util.concurrent.Callable<PlaybackEvent> parse) {
        try {
            return parse.call().toString();
        } catch (InvalidEventException e) {
            return "body".equals(e.field()) ? "refused body: malformed" : "refused " + e.getMessage();
        } catch (Exception e) {
            return "refused body: malformed"; // the tree path's own parse error, which parse() reports as "body"
        }
    }

    private static void assertField(String json, String field) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(InvalidEventException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }

    private static PlaybackEvent parse(String json) {
        return EventCodec.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
