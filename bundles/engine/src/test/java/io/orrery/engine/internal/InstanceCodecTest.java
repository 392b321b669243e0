package io.orrery.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.FiringKind;
import io.orrery.api.engine.InstanceStatus;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Records are written in Orrery's binary form and read back whole, every kind of JSON data value included; records
 * stored in Smile or as JSON text before are still read; damaged bytes are refused with where they fail.
 */
class InstanceCodecTest {

    static InstanceRecord sample() {
        InstanceRecord r = new InstanceRecord();
        r.tenant = "acme";
        r.workflow = "encode-video";
        r.key = "v-1";
        r.version = 3;
        r.status = InstanceStatus.ACTIVE;
        r.input.put("source", "file:/videos/a.mp4");
        r.state.put("chunks", List.of(Map.of("uri", "c1", "encoded", true), Map.of("uri", "c2")));
        r.state.put("ratio", 0.5);
        r.createdAt = 1_796_000_000_000L;
        r.updatedAt = r.createdAt + 1_234;
        r.traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        r.revision = 7;
        r.callSeq = 4;
        r.pending.put("4", new InstanceRecord.Pending("encode", CallKind.FUNCTION, "media.encode", Map.of("uri", "c2"),
                "c2", 5, 0, 3, null, 0, 1_000L));
        r.reads.put("encode", List.of("s:chunks"));
        r.fingerprints.put("encode", "69ad70830dca5ab2f0136a8a");
        r.episode.put("encode", 2);
        r.firings.add(new InstanceRecord.FiringEntry("split", FiringKind.ACTION, 3, r.createdAt + 900L, 1, null));
        r.firings.add(new InstanceRecord.FiringEntry("encode", FiringKind.REACTION, 3, r.createdAt + 950L, 0, "c1"));
        r.waiters.add(new InstanceRecord.Waiter("acme", "parent", "p-1", "9"));
        r.parked.add(new InstanceRecord.Parked("3", Map.of("ok", false), "boom", 2));
        return r;
    }

    @Test
    void recordsRoundTripThroughTheBinaryForm() throws Exception {
        InstanceRecord r = sample();
        byte[] stored = InstanceCodec.encode(r);
        assertThat(InstanceFormat.isBinary(stored)).isTrue();
        InstanceRecord back = InstanceCodec.decode(stored);
        assertThat(back).usingRecursiveComparison().ignoringFields("loaded").isEqualTo(r);
        byte[] smile = smile().writeValueAsBytes(r);
        assertThat(stored.length).as("%d bytes, smaller than Smile (%d bytes)", stored.length, smile.length)
                .isLessThan(smile.length * 2 / 3);
    }

    @Test
    void everyKindOfJsonDataComesBackAsJacksonWouldReadIt() {
        InstanceRecord r = sample();
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("deep", new ArrayList<>(List.of(1, "two", List.of())));
        r.state.put("null", null);
        r.state.put("negative", -42);
        r.state.put("smallLong", 5L);
        r.state.put("bigLong", Long.MIN_VALUE);
        r.state.put("decimal", new BigDecimal("-12345678901234567890.000123"));
        r.state.put("huge", new BigInteger("123456789012345678901234567890"));
        r.state.put("double", -0.25);
        r.state.put("unicode", "grüße 🎬");
        r.state.put("empty", "");
        r.state.put("nested", nested);
        r.output = Map.of("sum", 15);
        r.failure = "rule 'x' threw";
        InstanceRecord back = InstanceCodec.decode(InstanceCodec.encode(r));
        assertThat(back.state.get("smallLong")).as("an integer that fits an int reads as Integer").isEqualTo(5);
        assertThat(back.state.get("bigLong")).isEqualTo(Long.MIN_VALUE);
        assertThat(back.state.get("decimal")).isEqualTo(new BigDecimal("-12345678901234567890.000123"));
        assertThat(back.state).containsEntry("null", null).containsEntry("unicode", "grüße 🎬")
                .containsEntry("huge", new BigInteger("123456789012345678901234567890"));
        assertThat(back.state.keySet()).as("order kept").containsExactlyElementsOf(r.state.keySet());
        r.state.put("smallLong", 5);
        assertThat(back).usingRecursiveComparison().ignoringFields("loaded").isEqualTo(r);
    }

    @Test
    void recordsStoredInSmileOrAsJsonTextAreStillRead() throws Exception {
        InstanceRecord r = sample();
        byte[] smile = smile().writeValueAsBytes(r);
        assertThat(InstanceCodec.isSmile(smile)).isTrue();
        assertThat(InstanceCodec.decode(smile)).usingRecursiveComparison().ignoringFields("loaded").isEqualTo(r);
        byte[] json = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL).writeValueAsBytes(r);
        assertThat(new String(json, StandardCharsets.UTF_8)).startsWith("{");
        assertThat(InstanceCodec.decode(json)).usingRecursiveComparison().ignoringFields("loaded").isEqualTo(r);
    }

    @Test
    void damagedRecordsAreRefusedWithWhereTheyFail() {
        byte[] stored = InstanceCodec.encode(sample());
        byte[] cut = Arrays.copyOf(stored, stored.length - 5);
        assertThatThrownBy(() -> InstanceCodec.decode(cut)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unreadable at byte").hasMessageContaining("ends early");
        byte[] later = stored.clone();
        later[1] = 99;
        assertThatThrownBy(() -> InstanceCodec.decode(later)).hasMessageContaining("format version 99");
    }

    private static ObjectMapper smile() {
        return new ObjectMapper(new SmileFactory()).setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }
}
