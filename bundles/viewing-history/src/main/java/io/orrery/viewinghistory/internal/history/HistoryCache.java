package io.orrery.viewinghistory.internal.history;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewing history in the grid, in front of the store: each written entry by session
 * ({@code orrery.viewinghistory.entries}) and each user's whole list as last read ({@code orrery.viewinghistory.users},
 * dropped whenever one of the user's entries changes and expiring after a minute, so a read that raced a write is
 * stale for at most that long). Reads fall back to the store. Values are JSON text. An entry's copy lives as long
 * as its session's state does in the grid ({@link #ENTRY_LIFE}), so the cache is bounded by the sessions of the last
 * two days, not by every session ever watched.
 */
public final class HistoryCache {

    public static final String ENTRIES = "orrery.viewinghistory.entries";
    public static final String USERS = "orrery.viewinghistory.users";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long USER_TTL_SECONDS = 60;
    /** How long an entry's copy stays: the processor's retention of a session's state. */
    public static final Duration ENTRY_LIFE = Duration.ofDays(2);
    private static final Logger LOG = LoggerFactory.getLogger(HistoryCache.class);

    private final IMap<String, String> entries;
    private final IMap<String, String> users;
    private final HistoryTable table;

    /** Map names of shadow mode's second set, beside the shadow tables. */
    public static final String SHADOW_ENTRIES = "orrery.viewinghistory.shadow.entries";
    public static final String SHADOW_USERS = "orrery.viewinghistory.shadow.users";

    public HistoryCache(HazelcastInstance hazelcast, HistoryTable table) {
        this(hazelcast, table, ENTRIES, USERS);
    }

    public HistoryCache(HazelcastInstance hazelcast, HistoryTable table, String entriesMap, String usersMap) {
        expireEntries(hazelcast, entriesMap);
        this.entries = hazelcast.getMap(entriesMap);
        this.users = hazelcast.getMap(usersMap);
        this.table = table;
    }

    /**
     * Registers the entries map's time to live with the cluster, before the map is first used. A cluster that
     * already runs it with another setting (an earlier release's member) keeps its own, and this says so.
     */
    private static void expireEntries(HazelcastInstance hazelcast, String entriesMap) {
        MapConfig defaults = hazelcast.getConfig().getMapConfig("default");
        MapConfig config = new MapConfig(entriesMap).setBackupCount(defaults.getBackupCount())
                .setAsyncBackupCount(defaults.getAsyncBackupCount())
                .setTimeToLiveSeconds((int) ENTRY_LIFE.toSeconds());
        try {
            hazelcast.getConfig().addMapConfig(config);
        } catch (InvalidConfigurationException e) {
            LOG.warn("{}: the cluster keeps its entries for {} s, not {} s", entriesMap,
                    hazelcast.getConfig().getMapConfig(entriesMap).getTimeToLiveSeconds(), ENTRY_LIFE.toSeconds());
        }
    }

    /** The shadow set's cache in front of its tables (shadow mode). */
    public static HistoryCache shadow(HazelcastInstance hazelcast, HistoryTable shadowTable) {
        return new HistoryCache(hazelcast, shadowTable, SHADOW_ENTRIES, SHADOW_USERS);
    }

    /**
     * The map of each written entry's copy, by session. The processor has the copy set with its session's mark
     * ({@code SessionWritten}): the two keys share a grid partition, so one call does both.
     */
    public String entriesMap() {
        return entries.getName();
    }

    /** An entry's copy as the cache keeps it. */
    public String copyOf(HistoryEntry entry) {
        return json(entry);
    }

    /**
     * After the store took new versions of these entries: their users' cached lists dropped, all sent at once;
     * completes when the grid has dropped them.
     */
    public CompletableFuture<Void> dropLists(Collection<HistoryEntry> batch) {
        Set<String> owners = new HashSet<>();
        batch.forEach(entry -> owners.add(entry.userId()));
        List<CompletableFuture<?>> sent = new ArrayList<>(owners.size());
        owners.forEach(user -> sent.add(users.deleteAsync(user).toCompletableFuture()));
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    /** A user's entries, newest first: the grid's copy, else the store's (then kept in the grid). */
    public List<HistoryEntry> entries(String userId) throws SQLException {
        String cached = users.get(userId);
        if (cached != null) {
            try {
                return MAPPER.readValue(cached, new TypeReference<List<HistoryEntry>>() { });
            } catch (IOException e) {
                users.delete(userId);
            }
        }
        List<HistoryEntry> stored = table.entries(userId);
        users.putIfAbsent(userId, json(stored), USER_TTL_SECONDS, TimeUnit.SECONDS);
        return stored;
    }

    /** Hides an entry in the store and drops the user's cached list; false when the user has no such session. */
    public boolean hide(String userId, String sessionId) throws SQLException {
        boolean hidden = table.hide(userId, sessionId);
        if (hidden) {
            users.delete(userId);
            entries.delete(sessionId);
        }
        return hidden;
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
