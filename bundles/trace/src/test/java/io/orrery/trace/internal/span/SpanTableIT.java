package io.orrery.trace.internal.span;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.HazelcastInstance;
import io.orrery.api.trace.SpanRecord;
import io.orrery.api.trace.TraceContext;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.store.JdbcStore;
import io.orrery.trace.internal.SpanRecording;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's span rows (migration V3, without a unique key) on H2: a span written twice reads once, and rows
 * written by earlier versions (V1's row per span as JSON, V2's groups) are still read and purged.
 */
class SpanTableIT {

    private HazelcastInstance member;
    private JdbcStore store;
    private SpanTable table;
    private SpanStore reader;

    @BeforeEach
    void start() throws IOException {
        String cluster = "orrery-trace-table-" + UUID.randomUUID();
        member = LoopbackMembers.onFreePort(port -> ClusterMembers.start(new MemberSettings(cluster, port,
                List.of("127.0.0.1:" + port), "127.0.0.1", 0, 0)));
        store = JdbcStore.open("jdbc:h2:mem:table-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        store.migrate("trace", SpanRecording.class.getClassLoader());
        table = new SpanTable(store.dataSource());
        reader = new SpanStore(new SpanMap(member, 100_000), table);
    }

    @AfterEach
    void stop() {
        member.shutdown();
        store.close();
    }

    @Test
    void aBatchWrittenTwiceReadsEachSpanOnce() throws Exception {
        TraceContext[] root = new TraceContext[1];
        List<SpanGroup> groups = SpanGroup.of(EndedSpans.of(tracer -> {
            root[0] = TraceContext.newTrace();
            for (int i = 0; i < 5; i++) {
                tracer.start("step " + i, "acme", root[0]).close();
            }
            tracer.start("intruder", "beta", root[0]).close();
        }));

        table.insert(groups);
        table.insert(groups); // a retried batch: no unique key refuses it

        assertThat(table.trace("acme", root[0].traceId())).hasSize(10);
        assertThat(reader.spans("acme", root[0].traceId())).extracting(SpanRecord::name)
                .containsExactlyInAnyOrder("step 0", "step 1", "step 2", "step 3", "step 4");
        assertThat(reader.spans("beta", root[0].traceId())).extracting(SpanRecord::name).containsExactly("intruder");
        assertThat(reader.spansOfEveryTenant(root[0].traceId())).hasSize(6);
    }

    @Test
    void rowsOfEarlierVersionsAreReadBesideNewOnesAndPurgedByAge() throws Exception {
        TraceContext root = TraceContext.newTrace();
        SpanRecord v1 = new SpanRecord(root.traceId(), "00000000000000a1", null, "acme", "written as JSON",
                1_000, 2_000, null, null, Map.of("v", "1"));
        SpanRecord v2 = new SpanRecord(root.traceId(), "00000000000000a2", v1.spanId(), "acme", "written as a group",
                3_000, 4_000, null, null, Map.of("v", "2"));
        try (Connection c = store.dataSource().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO trace_spans (trace_id, span_id, tenant,"
                    + " start_micros, body) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, v1.traceId());
                ps.setString(2, v1.spanId());
                ps.setString(3, "acme");
                ps.setLong(4, v1.startMicros());
                ps.setString(5, new ObjectMapper().writeValueAsString(v1));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO trace_span_groups (trace_id, span_id, tenant,"
                    + " start_micros, span_count, body) VALUES (?, ?, ?, ?, 1, ?)")) {
                ps.setString(1, v2.traceId());
                ps.setString(2, v2.spanId());
                ps.setString(3, "acme");
                ps.setLong(4, v2.startMicros());
                ps.setBytes(5, SpanCodec.write(v2));
                ps.executeUpdate();
            }
        }
        table.insert(SpanGroup.of(EndedSpans.of(tracer -> tracer.start("written now", "acme", root).close())));

        assertThat(reader.spans("acme", root.traceId())).extracting(SpanRecord::name)
                .containsExactlyInAnyOrder("written as JSON", "written as a group", "written now");
        assertThat(reader.spans("acme", root.traceId())).filteredOn(s -> s.name().startsWith("written as"))
                .containsExactlyInAnyOrder(v1, v2);

        assertThat(table.deleteStartedBefore(3_500)).as("the JSON row and the V2 group").isEqualTo(2);
        assertThat(reader.spans("acme", root.traceId())).extracting(SpanRecord::name).containsExactly("written now");
        assertThat(table.deleteStartedBefore(Long.MAX_VALUE)).isEqualTo(1);
        assertThat(reader.spans("acme", root.traceId())).isEmpty();
    }
}
