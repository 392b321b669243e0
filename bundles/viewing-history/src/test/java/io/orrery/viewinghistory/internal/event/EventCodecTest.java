package io.orrery.viewinghistory.internal.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
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
        assertField("[1]", "event");
        assertField("{oops", "body");
    }

    private static void assertField(String json, String field) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(InvalidEventException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }

    private static PlaybackEvent parse(String json) {
        return EventCodec.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
