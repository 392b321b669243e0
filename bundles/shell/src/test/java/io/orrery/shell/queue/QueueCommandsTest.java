package io.orrery.shell.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orrery.api.queue.Claim;
import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueMessage;
import io.orrery.api.queue.QueueSettings;
import io.orrery.cluster.testing.LoopbackMembers;
import io.orrery.queue.internal.QueueOptions;
import io.orrery.queue.internal.ShardedQueueService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.karaf.shell.api.console.CommandLine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The queue commands against a real queue service on one Hazelcast member. */
class QueueCommandsTest {

    private static HazelcastInstance member;
    private static ShardedQueueService queues;
    private static final QueueId ENCODE = QueueId.of("acme", "encode");
    private static final QueueId EMPTY = QueueId.of("beta", "idle");

    @BeforeAll
    static void start() throws IOException {
        member = LoopbackMembers.onFreePort(port -> Hazelcast.newHazelcastInstance(loopbackConfig(port)));
        queues = ShardedQueueService.start(member, QueueOptions.DEFAULTS
                .withPersistence(QueueOptions.Persistence.NONE), new SimpleMeterRegistry(), null);
        queues.configure(ENCODE, QueueSettings.DEFAULTS.withMaxAttempts(1));
        queues.configure(EMPTY, QueueSettings.DEFAULTS);
        queues.enqueue(QueueMessage.builder(ENCODE).id("poison").priority(9).build());
        queues.reject(queues.claimOne(ENCODE).orElseThrow(), "cannot decode");
        for (int i = 0; i < 5; i++) {
            queues.enqueue(QueueMessage.builder(ENCODE).id("urgent-" + i).priority(9).build());
        }
        for (int i = 0; i < 3; i++) {
            queues.enqueue(QueueMessage.builder(ENCODE).id("normal-" + i).exclusiveKey("video-" + i).build());
        }
        queues.enqueue(QueueMessage.builder(ENCODE).id("later").notBefore(Instant.now().plusSeconds(3600)).build());
        Claim leased = queues.claimOne(ENCODE).orElseThrow();
        assertThat(leased.message().priority()).isEqualTo(9);
    }

    @AfterAll
    static void stop() {
        queues.close();
        member.getLifecycleService().terminate();
    }

    private static <T extends QueueCommandSupport> String run(T command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.queues = queues;
        command.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        command.execute();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void queueListShowsDepthsByStateAndPriority() throws Exception {
        String out = run(new QueueListCommand());
        String encode = out.lines().filter(l -> l.startsWith("acme/encode")).findFirst().orElseThrow();
        // pending 7 (4 urgent + 3 normal), delayed 1, in flight 1, dead 1, then oldest age, then by priority
        assertThat(encode.split("[|│]")).extracting(String::trim)
                .startsWith("acme/encode", "7", "1", "1", "1")
                .endsWith("9:4 5:3");
        assertThat(out).contains("beta/idle").contains("Pending").contains("In flight");
    }

    @Test
    void queueListFiltersByTenant() throws Exception {
        QueueListCommand list = new QueueListCommand();
        list.tenant = "beta";
        assertThat(run(list)).contains("beta/idle").doesNotContain("acme/encode");
    }

    @Test
    void queueShowShowsSettingsDepthsAndMessages() throws Exception {
        QueueShowCommand show = new QueueShowCommand();
        show.queue = "acme/encode";
        String out = run(show);
        assertThat(out).contains("Queue acme/encode")
                .contains("max attempts 1")
                .contains("pending 7, delayed 1, in flight 1, dead 1")
                .contains("pending by priority 9:4 5:3")
                .contains("Pending, in claim order").contains("urgent-1")
                .contains("Delayed").contains("later").contains("in 59m")
                .contains("Dead letters").contains("poison").contains("cannot decode");
        assertThat(out.indexOf("urgent-1")).isLessThan(out.indexOf("normal-0"));
        show.limit = Integer.MAX_VALUE;     // would browse whole shards
        assertThatThrownBy(() -> run(show)).hasMessage("--limit must be 1 to 1000, not 2147483647");
    }

    @Test
    void aTenantsMessageIdsKeysAndErrorsReachTheTerminalEscaped() throws Exception {
        QueueId q = QueueId.of("mallory", "q-" + UUID.randomUUID().toString().substring(0, 6));
        queues.configure(q, QueueSettings.DEFAULTS.withMaxAttempts(1));
        queues.enqueue(QueueMessage.builder(q).id("m\u001b[2J").exclusiveKey("k\n  forged row").build());
        queues.reject(queues.claimOne(q).orElseThrow(), "boom\u001b]0;pwned\u0007\u009b31m");
        QueueShowCommand show = new QueueShowCommand();
        show.queue = q.toString();

        String out = run(show);

        assertThat(out).doesNotContain("\u001b", "\u0007", "\u009b", "\n  forged row")
                .contains("m\\u001b[2J", "boom\\u001b]0;pwned\\u0007\\u009b31m");
    }

    @Test
    void anUnknownOrMalformedQueueIsNamedInTheError() {
        QueueShowCommand show = new QueueShowCommand();
        show.queue = "acme/nothing";
        assertThatThrownBy(() -> run(show)).hasMessage("queue: no queue named acme/nothing");
        show.queue = "nothing";
        assertThatThrownBy(() -> run(show)).hasMessageContaining("expected <tenant>/<name>");
    }

    @Test
    void dlqReplayAndQueuePurge() throws Exception {
        QueueId q = QueueId.of("gamma", "q-" + UUID.randomUUID().toString().substring(0, 6));
        queues.configure(q, QueueSettings.DEFAULTS.withMaxAttempts(1));
        for (int i = 0; i < 3; i++) {
            queues.enqueue(QueueMessage.builder(q).id("m" + i).build());
            queues.reject(queues.claimOne(q).orElseThrow(), "bad");
        }
        queues.enqueue(QueueMessage.builder(q).id("fine").build());

        DlqReplayCommand replay = new DlqReplayCommand();
        replay.queue = q.toString();
        replay.max = 2;
        assertThat(run(replay)).isEqualToIgnoringNewLines("Replayed 2 dead letter(s) of " + q);
        assertThat(queues.stats(q).dead()).isEqualTo(1);
        assertThat(queues.stats(q).count(MessageState.PENDING)).isEqualTo(3);

        QueuePurgeCommand purge = new QueuePurgeCommand();
        purge.queue = q.toString();
        assertThat(run(purge)).isEqualToIgnoringNewLines("Purged 4 message(s) from " + q);
        assertThat(queues.stats(q).depth()).isZero();
    }

    @Test
    void theCompleterOffersTheQueues() {
        QueueNameCompleter completer = new QueueNameCompleter();
        completer.queues = queues;
        List<String> candidates = new ArrayList<>();
        completer.complete(null, typed("acme/"), candidates);
        assertThat(candidates).extracting(String::trim).contains("acme/encode").doesNotContain("beta/idle");
    }

    @Test
    void agesReadNaturally() {
        assertThat(QueueCommandSupport.age(Duration.ofMillis(850))).isEqualTo("850ms");
        assertThat(QueueCommandSupport.age(Duration.ofMillis(4200))).isEqualTo("4.2s");
        assertThat(QueueCommandSupport.age(Duration.ofSeconds(192))).isEqualTo("3m12s");
        assertThat(QueueCommandSupport.age(Duration.ofMinutes(125))).isEqualTo("2h05m");
    }

    /** The command line as typed so far: one argument, the cursor at its end. */
    private static CommandLine typed(String argument) {
        return new CommandLine() {
            @Override public int getCursorArgumentIndex() { return 0; }
            @Override public String getCursorArgument() { return argument; }
            @Override public int getArgumentPosition() { return argument.length(); }
            @Override public String[] getArguments() { return new String[] {argument}; }
            @Override public int getBufferPosition() { return argument.length(); }
            @Override public String getBuffer() { return argument; }
        };
    }

    private static Config loopbackConfig(int port) {
        Config c = new Config();
        c.setClusterName("orrery-shell-test-" + UUID.randomUUID());
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.logging.type", "none");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
        c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        c.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        c.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        c.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:" + port);
        return c;
    }
}
