package io.orrery.viewinghistory.internal.region;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which region is a user's home, and the Kafka cluster of each region. A user named in {@code homes} lives there;
 * any other user by the hash of the userId over the regions in their configured order (every node must list them
 * in the same order), so all events of a user, and so of a session, go to one region. The endpoint publishes a
 * user of this region to the events topic and any other to the forwarding topic of the local cluster, which the
 * {@link RegionForwarder} drains into the home region's cluster.
 */
public final class HomeRegions {

    public static final String FORWARD_SUFFIX = ".forward";

    private final String local;
    private final Map<String, String> clusters;
    private final List<String> order;
    private final Map<String, String> homes;
    private final String topic;

    private HomeRegions(String local, Map<String, String> clusters, Map<String, String> homes, String topic) {
        this.local = local;
        this.clusters = clusters;
        this.order = new ArrayList<>(clusters.keySet());
        this.homes = homes;
        this.topic = topic;
    }

    /**
     * From {@code io.orrery.viewinghistory}: {@code region} this node's region, {@code regions}
     * {@code name=bootstrap servers} pairs separated by {@code ;}, {@code homeRegions} {@code userId=region} pairs
     * separated by {@code ,}. Null when {@code region} is empty (no routing: every user is local).
     */
    public static HomeRegions parse(String region, String regions, String homeRegions, String topic) {
        if (region == null || region.isBlank()) {
            return null;
        }
        Map<String, String> clusters = pairs("regions", regions, ";");
        if (!clusters.containsKey(region.trim())) {
            throw new IllegalArgumentException("region: '" + region.trim() + "' is not among regions " + clusters.keySet());
        }
        Map<String, String> homes = pairs("homeRegions", homeRegions, ",");
        homes.forEach((user, home) -> {
            if (!clusters.containsKey(home)) {
                throw new IllegalArgumentException("homeRegions: user " + user + " lives in '" + home
                        + "', which is not among regions " + clusters.keySet());
            }
        });
        return new HomeRegions(region.trim(), clusters, homes, topic);
    }

    public String local() {
        return local;
    }

    /** The user's home region. */
    public String home(String userId) {
        String named = homes.get(userId);
        if (named != null) {
            return named;
        }
        return order.get(Math.floorMod(userId.hashCode() * 0x9E3779B1, order.size()));
    }

    /** The topic of the local cluster an event of this user is published to. */
    public String topicFor(String userId) {
        return local.equals(home(userId)) ? topic : forwardTopic();
    }

    public String topic() {
        return topic;
    }

    public String forwardTopic() {
        return topic + FORWARD_SUFFIX;
    }

    /** Bootstrap servers of a region's cluster. */
    public String cluster(String region) {
        return clusters.get(region);
    }

    /** Every region and its cluster, in the configured order. */
    public Map<String, String> clusters() {
        return java.util.Collections.unmodifiableMap(clusters);
    }

    private static Map<String, String> pairs(String name, String text, String separator) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            if ("regions".equals(name)) {
                throw new IllegalArgumentException("regions: required with region, e.g. us=10.0.0.1:9092;eu=10.1.0.1:9092");
            }
            return pairs;
        }
        for (String pair : text.split(separator)) {
            int eq = pair.indexOf('=');
            if (pair.isBlank()) {
                continue;
            }
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new IllegalArgumentException(name + ": expected name=value, got '" + pair.trim() + "'");
            }
            String key = pair.substring(0, eq).trim();
            if (pairs.put(key, pair.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException(name + ": '" + key + "' given twice");
            }
        }
        return pairs;
    }
}
