package io.orrery.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.FiringKind;
import io.orrery.api.engine.InstanceStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Records are written in Smile and read back whole; records stored as JSON text before are still read. */
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
        r.revision = 7;
        r.callSeq = 4;
        r.pending.put("4", new InstanceRecord.Pending("encode", CallKind.FUNCTION, "media.encode", Map.of("uri", "c2"),
                "c2", 5, 0, 3, null, 0, 1_000L));
        r.reads.put("encode", List.of("s:chunks"));
        r.fingerprints.put("encode", "69ad70830dca5ab2f0136a8a");
        r.firings.add(new InstanceRecord.FiringEntry("split", FiringKind.ACTION, 3, 900L, 1, null));
        return r;
    }

    @Test
    void recordsRoundTripThroughSmile() throws Exception {
        InstanceRecord r = sample();
        byte[] stored = InstanceCodec.encode(r);
        assertThat(InstanceCodec.isSmile(stored)).isTrue();
        InstanceRecord back = InstanceCodec.decode(stored);
        assertThat(back).usingRecursiveComparison().ignoringFields("loaded").isEqualTo(r);
        byte[] json = new ObjectMapper().writeValueAsBytes(r);
        assertThat(stored.length).as("smaller than JSON text (%d bytes)", json.length).isLessThan(json.length);
    }

    @Test
    void recordsStoredAsJsonTextAreStillRead() throws Exception {
        InstanceRecord r = sample();
        byte[] json = new ObjectMapper().setSerializationInclusion(
                com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL).writeValueAsBytes(r);
        assertThat(new String(json, StandardCharsets.UTF_8)).startsWith("{");
        assertThat(InstanceCodec.decode(json)).usingRecursiveComparison().ignoringFields("loaded").isEqualTo(r);
    }
}
