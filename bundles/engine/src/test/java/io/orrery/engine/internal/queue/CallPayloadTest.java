package io.orrery.engine.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orrery.api.engine.CallKind;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.OutboundCall;
import io.orrery.engine.internal.CallFormat;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Calls and results on the queues: the binary form reads back as the JSON did, and JSON still reads. */
class CallPayloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InstanceId ID = new InstanceId("acme", "orders", "o-1");

    private static Map<String, Object> plainArgs() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("n", 1);
        args.put("big", 1L << 40);
        args.put("ratio", 0.25);
        args.put("name", "zoë ✓");
        args.put("none", null);
        args.put("flag", true);
        args.put("list", List.of(1, "two", List.of(3L), Map.of("k", false)));
        args.put("nested", Map.of("a", Map.of("b", "c")));
        return args;
    }

    private static OutboundCall call(Map<String, Object> args) {
        return new OutboundCall(ID, "c-7", "r1", CallKind.FUNCTION, "charge", args, "idem-1", 3, 30_000, 5,
                "ex-1", 0, "trace-1", "span-1");
    }

    @Test
    void aCallOfPlainDataIsBinaryAndReadsBackAsItsJsonWould() throws Exception {
        OutboundCall c = call(plainArgs());
        byte[] bytes = QueueCallPort.write(c);
        assertThat(CallFormat.isBinary(bytes)).isTrue();
        OutboundCall read = QueueCallPort.read(bytes, OutboundCall.class);
        assertThat(read).isEqualTo(JSON.readValue(JSON.writeValueAsBytes(c), OutboundCall.class));
        assertThat(read.args().get("big")).isInstanceOf(Long.class);
        assertThat(read.args().get("n")).isInstanceOf(Integer.class);
        assertThat(bytes.length).isLessThan(JSON.writeValueAsBytes(c).length);
    }

    @Test
    void aResultReadsBackAsItsJsonWould() throws Exception {
        for (CallResult r : List.of(CallResult.success(ID, "c-7", plainArgs(), 2),
                CallResult.failure(ID, "c-8", "boom: no such card", 4), CallResult.success(ID, "c-9", null, 1))) {
            byte[] bytes = QueueCallPort.write(r);
            assertThat(CallFormat.isBinary(bytes)).isTrue();
            assertThat(QueueCallPort.read(bytes, CallResult.class))
                    .isEqualTo(JSON.readValue(JSON.writeValueAsBytes(r), CallResult.class));
        }
    }

    @Test
    void dataTheBinaryFormWouldNotKeepAsJacksonDoesGoesAsJson() throws Exception {
        // Each of these would read back from JSON as another type (or value) than the binary form would give.
        for (Object odd : List.of(new BigDecimal("1.50"), (short) 3, Double.NaN, 1.5f, new int[] {1, 2},
                Map.of(7, "numeric key"))) {
            Map<String, Object> args = new LinkedHashMap<>(Map.of("x", odd));
            OutboundCall c = call(args);
            byte[] bytes = QueueCallPort.write(c);
            assertThat(bytes[0]).as("%s", odd).isEqualTo((byte) '{');
            assertThat(QueueCallPort.read(bytes, OutboundCall.class))
                    .isEqualTo(JSON.readValue(JSON.writeValueAsBytes(c), OutboundCall.class));
        }
    }

    @Test
    void jsonWrittenByEarlierVersionsStillReads() throws Exception {
        OutboundCall c = call(Map.of("n", 1));
        assertThat(QueueCallPort.read(JSON.writeValueAsBytes(c), OutboundCall.class)).isEqualTo(c);
        CallResult r = CallResult.success(ID, "c-7", Map.of("n", 2), 1);
        assertThat(QueueCallPort.read(JSON.writeValueAsBytes(r), CallResult.class)).isEqualTo(r);
    }

    @Test
    void truncatedOrMislabelledBytesAreRefusedNeverReadPast() {
        byte[] bytes = QueueCallPort.write(call(plainArgs()));
        for (int cut = 2; cut < bytes.length; cut += 3) {
            byte[] shorter = Arrays.copyOf(bytes, cut);
            assertThatThrownBy(() -> QueueCallPort.read(shorter, OutboundCall.class))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("call message unreadable");
        }
        assertThatThrownBy(() -> CallFormat.decodeResult(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a binary result");
        byte[] future = bytes.clone();
        future[1] = 9;
        assertThatThrownBy(() -> CallFormat.decodeCall(future)).hasMessageContaining("format version 9");
    }
}
