package io.orrery.functions.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutboxTest {

    private final ExecutorService senders = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        senders.shutdownNow();
    }

    /** A stream whose first write waits until released, as a full pipe would; records each write. */
    private static final class Pipe extends OutputStream {
        final CountDownLatch firstWriteStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> writes = new ArrayList<>();
        final ByteArrayOutputStream all = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            throw new UnsupportedOperationException("written by the byte");
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (writes.isEmpty()) {
                firstWriteStarted.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            writes.add(new String(b, off, len, StandardCharsets.UTF_8));
            all.write(b, off, len);
        }
    }

    private static byte[] line(String s) {
        return (s + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void messagesSentWhileAWriteIsUnderWayLeaveTogetherInTheNextWrite() throws Exception {
        Pipe pipe = new Pipe();
        Outbox box = new Outbox(pipe);
        Future<?> first = senders.submit(() -> {
            box.send(line("m0"));
            return null;
        });
        assertThat(pipe.firstWriteStarted.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<?>> others = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            String m = "m" + i;
            others.add(senders.submit(() -> {
                box.send(line(m));
                return null;
            }));
        }
        // the twenty wait in the outbox for the write under way to end; their senders carry on
        await().atMost(Duration.ofSeconds(10)).until(() -> box.pendingBytes() == 9 * 3 + 11 * 4);
        pipe.release.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (Future<?> f : others) {
            f.get(10, TimeUnit.SECONDS);
        }

        assertThat(pipe.writes).hasSize(2);
        assertThat(pipe.writes.get(0)).isEqualTo("m0\n");
        List<String> lines = Arrays.asList(pipe.writes.get(1).split("\n"));
        assertThat(lines).hasSize(20).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(i -> "m" + i).toList());
        assertThat(box.writes()).isEqualTo(2);
    }

    @Test
    void aStreamThatFailsFailsTheSenderMeetingItAndEveryLaterSend() {
        Outbox box = new Outbox(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        });

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> box.send(line("a")))
                .isInstanceOf(IOException.class).hasMessage("Broken pipe");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> box.send(line("b")))
                .isInstanceOf(IOException.class).hasMessageContaining("failed earlier: Broken pipe");
    }

    @Test
    void addedMessagesWaitForTheFlushAndAFlushOfNothingWritesNothing() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Outbox box = new Outbox(out);
        box.flush();
        box.add(line("a"));
        box.add(line("b"));

        assertThat(out.size()).isZero();
        box.flush();

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("a\nb\n");
        assertThat(box.writes()).isEqualTo(1);
    }
}
