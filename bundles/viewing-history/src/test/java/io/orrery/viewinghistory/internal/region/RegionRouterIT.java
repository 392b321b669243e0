package io.orrery.viewinghistory.internal.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.camel.internal.NodeCamel;
import io.orrery.viewinghistory.internal.PlaybackStream;
import io.orrery.viewinghistory.internal.PostedEvents;
import io.orrery.viewinghistory.internal.TopicReader;
import io.orrery.viewinghistory.internal.event.EventType;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.internal.rest.PlaybackIntake;
import io.orrery.viewinghistory.internal.rest.Rollout;
import io.orrery.viewinghistory.publisher.PlaybackPublisher;
import io.orrery.viewinghistory.publisher.PublisherSettings;
import io.orrery.viewinghistory.publisher.testing.KafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The region router on two real brokers, one per region: the endpoint in region us publishes every event to its
 * own cluster, users of us to the events topic and the others to the forwarding topic, which the router drains
 * into the home region's cluster; while that region is down its events wait, and none is lost once it is back.
 */
class RegionRouterIT {

    private static final String TOPIC = "vh-regions";

    private static KafkaBroker us;
    private static KafkaBroker eu;
    private static HomeRegions regions;
    private static PlaybackPublisher publisher;
    private static RegionForwarder forwarder;
    private static CamelContext camel;
    private static PlaybackIntake intake;

    @BeforeAll
    static void start() throws Exception {
        us = KafkaBroker.start();
        eu = KafkaBroker.start();
        us.createTopic(TOPIC, 3);
        us.createTopic(TOPIC + HomeRegions.FORWARD_SUFFIX, 3);
        eu.createTopic(TOPIC, 3);
        regions = HomeRegions.parse("us", "us=" + us.bootstrap() + ";eu=" + eu.bootstrap(),
                "alice=eu, bob=us", TOPIC);
        publisher = new PlaybackPublisher(PublisherSettings.of(TOPIC, us.bootstrap(), ""));
        intake = new PlaybackIntake(publisher, null, new Rollout(() -> 100), false, regions::topicFor);
        forwarder = new RegionForwarder(regions, 3_000);
        camel = NodeCamel.create(KafkaBroker.freePort(), us.bootstrap());
        camel.start();
        camel.addRoutes(new RegionRoute(regions, forwarder, us.bootstrap(), ""));
    }

    @AfterAll
    static void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (forwarder != null) {
            forwarder.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (us != null) {
            us.close();
        }
        if (eu != null) {
            eu.close();
        }
    }

    @Test
    void eventsReachTheirUsersHomeRegionAndWaitOutItsOutage() throws Exception {
        List<PlaybackEvent> before = events("reg1", 7);
        List<PlaybackEvent> during = events("reg2", 8);
        Set<String> euBefore = ids(before, "eu");
        Set<String> euDuring = ids(during, "eu");
        assertThat(euBefore).isNotEmpty();
        assertThat(ids(before, "us")).isNotEmpty();
        assertThat(regions.home("alice")).isEqualTo("eu");
        assertThat(regions.home("bob")).isEqualTo("us");

        try (TopicReader local = new TopicReader(us.bootstrap(), TOPIC);
             TopicReader remote = new TopicReader(eu.bootstrap(), TOPIC)) {
            post(before);
            await().atMost(Duration.ofSeconds(60)).until(() -> remote.poll().equals(euBefore));
            await().atMost(Duration.ofSeconds(30)).until(() -> local.poll().equals(ids(before, "us")));

            eu.stop();
            post(during);
            await().atMost(Duration.ofSeconds(30)).until(() -> local.poll().equals(union(ids(before, "us"),
                    ids(during, "us"))));
            // the router tried, failed, and keeps the events in the local cluster
            await().atMost(Duration.ofSeconds(60)).until(() -> forwarder.failedBatches() >= 2);
            eu.resume();
            await().atMost(Duration.ofSeconds(120)).until(() -> remote.poll().equals(union(euBefore, euDuring)));
            // nothing of region us ever went to eu, nor of eu stayed in us
            assertThat(local.poll()).isEqualTo(union(ids(before, "us"), ids(during, "us")));
            assertThat(publisher.counters().dropped()).isZero();
            // a batch counts once all of it is acknowledged: a send that timed out in the outage can reach eu before
            // the retry that counts it, after the router's backoff
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> forwarder.forwardedCount() >= euBefore.size() + euDuring.size());
        }
    }

    /**
     * While region us's primary cluster is down its endpoint publishes to us's backup cluster, the forwarding topic
     * included: the router reads that topic there too, so the events of users homed in eu still reach eu.
     */
    @Test
    void eventsPublishedToTheBackupClusterStillReachTheirHomeRegion() throws Exception {
        try (KafkaBroker primary = KafkaBroker.start(); KafkaBroker backup = KafkaBroker.start()) {
            for (KafkaBroker broker : List.of(primary, backup)) {
                broker.createTopic(TOPIC, 3);
                broker.createTopic(TOPIC + HomeRegions.FORWARD_SUFFIX, 3);
            }
            HomeRegions failingOver = HomeRegions.parse("us", "us=" + primary.bootstrap() + ";eu=" + eu.bootstrap(),
                    "alice=eu, bob=us", TOPIC);
            List<PlaybackEvent> events = events("reg3", 9).stream().map(e -> new PlaybackEvent(e.eventId(),
                    e.sessionId(), e.userId(), e.titleId(), e.type(), e.seq(), e.positionMs(), e.clientTs(),
                    e.device(), true)).toList();
            Set<String> euIds = ids(events, "eu");
            CamelContext router = NodeCamel.create(KafkaBroker.freePort(), primary.bootstrap());
            try (PlaybackPublisher onBackup = new PlaybackPublisher(PublisherSettings.of(TOPIC, primary.bootstrap(),
                    backup.bootstrap()));
                 RegionForwarder forwarding = new RegionForwarder(failingOver, 3_000);
                 TopicReader remote = new TopicReader(eu.bootstrap(), TOPIC)) {
                router.start();
                router.addRoutes(new RegionRoute(failingOver, forwarding, primary.bootstrap(), backup.bootstrap()));
                PlaybackIntake endpoint = new PlaybackIntake(onBackup, null, new Rollout(() -> 100), false,
                        failingOver::topicFor);
                primary.stop();

                for (int from = 0; from < events.size(); from += 50) {
                    assertThat(endpoint.accept(PostedEvents.of(events.subList(from, Math.min(events.size(),
                            from + 50)))).status()).isEqualTo(202);
                }

                await().atMost(Duration.ofSeconds(90)).until(() -> remote.poll().containsAll(euIds));
                assertThat(onBackup.counters().sentToBackup()).isPositive();
                assertThat(onBackup.counters().dropped()).isZero();
            } finally {
                router.stop();
            }
        }
    }

    @Test
    void homeRegionsAreCheckedWhenConfigured() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HomeRegions.parse("ap", "us=a:1;eu=b:2", "", TOPIC))
                .hasMessageContaining("region: 'ap' is not among regions [us, eu]");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HomeRegions.parse("us", "us=a:1;eu=b:2",
                "carol=mars", TOPIC)).hasMessageContaining("homeRegions: user carol lives in 'mars'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HomeRegions.parse("us", "us=a:1;eu", "", TOPIC))
                .hasMessageContaining("regions: expected name=value, got 'eu'");
        assertThat(HomeRegions.parse("", "", "", TOPIC)).isNull();
        // the same user always has the same home, on every node that lists the regions in the same order
        HomeRegions other = HomeRegions.parse("eu", "us=a:1;eu=b:2", "", TOPIC);
        HomeRegions here = HomeRegions.parse("us", "us=x:1;eu=y:2", "", TOPIC);
        for (int i = 0; i < 200; i++) {
            assertThat(other.home("user" + i)).isEqualTo(here.home("user" + i));
        }
    }

    /** A generated stream plus one session each of alice and bob, whose homes are named. */
    private static List<PlaybackEvent> events(String prefix, long seed) {
        List<PlaybackEvent> events = new ArrayList<>(PlaybackStream.generate(prefix, 40, 5, 20, 4, seed).inOrder());
        for (String user : List.of("alice", "bob")) {
            for (int i = 0; i < 3; i++) {
                events.add(new PlaybackEvent(prefix + "-" + user + "-e" + i, prefix + "-" + user, user, "t1",
                        i == 0 ? EventType.START : EventType.HEARTBEAT, i + 1, i * 1000, 1_700_000_000_000L + i,
                        "tv", false));
            }
        }
        return events;
    }

    private static void post(List<PlaybackEvent> events) {
        for (int from = 0; from < events.size(); from += 50) {
            var answer = intake.accept(PostedEvents.of(events.subList(from, Math.min(events.size(), from + 50))));
            assertThat(answer.status()).isEqualTo(202);
        }
    }

    private static Set<String> ids(List<PlaybackEvent> events, String region) {
        return events.stream().filter(e -> regions.home(e.userId()).equals(region)).map(PlaybackEvent::eventId)
                .collect(Collectors.toSet());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
