package io.orrery.viewinghistory.internal.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.orrery.api.rest.RestAnswer;
import io.orrery.api.rest.RestCall;
import io.orrery.api.tenant.Principal;
import io.orrery.api.trace.TraceContext;
import io.orrery.cluster.ClusterMembers;
import io.orrery.cluster.MemberSettings;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.store.JdbcStore;
import io.orrery.viewinghistory.internal.history.Bookmark;
import io.orrery.viewinghistory.internal.history.HistoryCache;
import io.orrery.viewinghistory.internal.history.HistoryEntry;
import io.orrery.viewinghistory.internal.history.HistoryTable;
import io.orrery.viewinghistory.internal.rest.HistoryQueries.EntryView;
import io.orrery.viewinghistory.internal.rest.HistoryQueries.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Paging through a user's history and bookmarks returns every item once, whatever order the store sorts text in:
 * here an H2 database with English collation, as a PostgreSQL cluster created with a non-C locale sorts ({@code a1}
 * before {@code B2}, where Java's order puts {@code B2} first).
 */
class HistoryPagingIT {

    private static HazelcastInstance member;
    private static JdbcStore store;
    private static HistoryQueries queries;

    @BeforeAll
    static void start() throws Exception {
        String cluster = "orrery-vh-paging-" + UUID.randomUUID();
        member = LoopbackMembers.onFreePort(port -> ClusterMembers.start(new MemberSettings(cluster, port,
                List.of("127.0.0.1:" + port), "127.0.0.1", 0, 0)));
        // set as the database is created, before any table (H2 refuses to change it after)
        store = JdbcStore.open("jdbc:h2:mem:vh-paging-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;COLLATION=ENGLISH",
                "sa", "");
        store.migrate("viewinghistory", HistoryPagingIT.class.getClassLoader());
        HistoryTable table = new HistoryTable(store.dataSource());
        queries = new HistoryQueries(new HistoryCache(member, table), table);
        for (String[] row : new String[][] {{"a1", "s-a"}, {"B2", "S-b"}, {"c3", "s-c"}, {"D4", "S-d"}}) {
            table.save(new HistoryEntry(row[1], "pager", row[0], "tv", 1_000, 5_000, 4_000, 4_000, false, 1));
        }
    }

    @AfterAll
    static void stop() {
        if (member != null) {
            member.getLifecycleService().terminate();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void bookmarksPagedOneByOneGiveEveryTitleOnce() throws Exception {
        List<String> titles = pageThrough(queries::bookmarks, item -> ((Bookmark) item).titleId());

        assertThat(titles).containsExactlyInAnyOrder("a1", "B2", "c3", "D4");
    }

    @Test
    void historyPagedOneByOneGivesEverySessionOnceWhenTheyEndAlike() throws Exception {
        List<String> sessions = pageThrough(queries::history, item -> ((EntryView) item).sessionId());

        assertThat(sessions).containsExactlyInAnyOrder("s-a", "S-b", "s-c", "S-d");
    }

    private interface Query {
        RestAnswer answer(RestCall call) throws Exception;
    }

    private static List<String> pageThrough(Query query, Function<Object, String> id) throws Exception {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 10; pages++) {
            RestAnswer answer = query.answer(call(Map.of("limit", "1"), cursor));
            assertThat(answer.status()).isEqualTo(200);
            Page<?> page = (Page<?>) answer.body();
            page.items().forEach(item -> seen.add(id.apply(item)));
            cursor = page.next();
            if (cursor == null) {
                return seen;
            }
        }
        throw new AssertionError("no last page after 10 pages: " + seen);
    }

    private static RestCall call(Map<String, String> query, String cursor) {
        return new RestCall() {
            @Override public Principal principal() { return null; }
            @Override public TraceContext trace() { return null; }
            @Override public String path(String name) { return name.equals("user") ? "pager" : null; }
            @Override public String query(String name) {
                return name.equals("cursor") ? cursor : query.get(name);
            }
            @Override public String header(String name) { return null; }
            @Override public byte[] body(long limit) { return new byte[0]; }
        };
    }
}
