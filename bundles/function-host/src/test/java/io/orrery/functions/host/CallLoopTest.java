package io.orrery.functions.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orrery.api.function.OrreryFunction;
import io.orrery.functions.protocol.FrameReader;
import io.orrery.functions.protocol.HostMessage;
import io.orrery.functions.protocol.Outbox;
import io.orrery.functions.protocol.Wire;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The host's loop on fake streams: what the node sends in one write, and calls that take their time. */
class CallLoopTest {

    private final CountDownLatch slowMayEnd = new CountDownLatch(1);
    private final Map<String, OrreryFunction> functions = Map.of(
            "quick", function("quick", args -> Map.of("n", args.get("n"))),
            "slow", function("slow", args -> {
                slowMayEnd.await();
                return Map.of("n", args.get("n"), "slow", true);
            }));
    private final Answers answers = new Answers();
    private final Stdin stdin = new Stdin();
    private final ExecutorService loops = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws Exception {
        slowMayEnd.countDown();
        stdin.end();
        loops.shutdownNow();
    }

    private interface Body {
        Map<String, Object> apply(Map<String, Object> args) throws Exception;
    }

    private static OrreryFunction function(String name, Body body) {
        return new OrreryFunction() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Map<String, Object> apply(Map<String, Object> args) throws Exception {
                return body.apply(args);
            }
        };
    }

    /** The node's end of the host's stdin: each chunk arrives as one read, as one write to a pipe does. */
    private static final class Stdin extends InputStream {
        private static final byte[] END = new byte[0];
        private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        private byte[] current;
        private int at;

        void write(HostMessage... messages) {
            var out = new ByteArrayOutputStream();
            for (HostMessage m : messages) {
                out.writeBytes(Wire.line(m));
            }
            chunks.add(out.toByteArray());
        }

        void writeRaw(String text) {
            chunks.add(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        void end() {
            chunks.add(END);
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("read by the byte");
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                if (current == null || at == current.length) {
                    current = chunks.take();
                    at = 0;
                    if (current == END) {
                        chunks.add(END);
                        return -1;
                    }
                }
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            int n = Math.min(len, current.length - at);
            System.arraycopy(current, at, b, off, n);
            at += n;
            return n;
        }
    }

    /** The host's stdout as the node reads it: the answers by id, and how many writes carried them. */
    private static final class Answers extends OutputStream {
        final Map<String, HostMessage> byId = new ConcurrentHashMap<>();
        int writes;

        @Override
        public void write(int b) {
            throw new UnsupportedOperationException("written by the byte");
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            writes++;
            FrameReader lines = new FrameReader(new ByteArrayInputStream(b, off, len), Wire.MAX_LINE);
            FrameReader.Line line;
            while ((line = lines.next()) != null) {
                HostMessage m = Wire.read(line);
                byId.put(m.id(), m);
            }
        }

        synchronized int writes() {
            return writes;
        }
    }

    private Future<?> loop(Duration budget) {
        Outbox outbox = new Outbox(answers);
        CallLoop loop = new CallLoop(new Calls(name -> Optional.ofNullable(functions.get(name))), outbox, budget);
        return loops.submit(() -> {
            loop.run(stdin);
            return null;
        });
    }

    private static HostMessage call(String id, String function) {
        return HostMessage.call(id, function, Map.of("n", id), System.currentTimeMillis() + 60_000);
    }

    @Test
    void manyCallsReadTogetherAreAnsweredInOneWrite() throws Exception {
        Future<?> loop = loop(Duration.ofSeconds(30));
        HostMessage[] frame = new HostMessage[50];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = call("c" + i, "quick");
        }

        stdin.write(frame);

        await().atMost(Duration.ofSeconds(10)).until(() -> answers.byId.size() == 50);
        assertThat(answers.writes()).isEqualTo(1);
        assertThat(answers.byId.get("c17").value()).containsEntry("n", "c17");
        stdin.end();
        loop.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSlowCallDoesNotHoldUpTheCallsReadWithItNorThoseAfter() throws Exception {
        loop(Duration.ofMillis(20));

        stdin.write(call("s1", "slow"), call("q1", "quick"), call("q2", "quick"));

        await().atMost(Duration.ofSeconds(10)).until(() -> answers.byId.containsKey("q1")
                && answers.byId.containsKey("q2"));
        stdin.write(call("s2", "slow"), call("q3", "quick"));
        await().atMost(Duration.ofSeconds(10)).until(() -> answers.byId.containsKey("q3"));
        assertThat(answers.byId).doesNotContainKeys("s1", "s2");

        slowMayEnd.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> answers.byId.containsKey("s1")
                && answers.byId.containsKey("s2"));
        assertThat(answers.byId.get("s1").value()).containsEntry("slow", true);
        assertThat(answers.byId.get("q2").type()).isEqualTo(HostMessage.RESULT);
    }

    @Test
    void whatIsNotACallOfAKnownFunctionIsAnsweredOrSkippedAndTheCallsAfterItRun() throws Exception {
        loop(Duration.ofSeconds(30));

        stdin.writeRaw("not json\n\n   \n{\"type\":\"nope\",\"id\":\"u\"}\n");
        stdin.write(call("x", "nothing"), call("q", "quick"));

        await().atMost(Duration.ofSeconds(10)).until(() -> answers.byId.size() == 3);
        assertThat(answers.byId.get("u").kind()).isEqualTo(HostMessage.PLATFORM);
        assertThat(answers.byId.get("u").message()).contains("unknown message type nope");
        assertThat(answers.byId.get("x").kind()).isEqualTo(HostMessage.PLATFORM);
        assertThat(answers.byId.get("x").message()).contains("no function named nothing");
        assertThat(answers.byId.get("q").value()).containsEntry("n", "q");
    }

    @Test
    void theLoopEndsWhenTheNodeClosesTheStream() throws Exception {
        Future<?> loop = loop(Duration.ofSeconds(30));
        stdin.write(call("q", "quick"));
        stdin.end();

        loop.get(10, TimeUnit.SECONDS);

        assertThat(answers.byId).containsKey("q");
        assertThat(List.copyOf(answers.byId.keySet())).hasSize(1);
    }
}
