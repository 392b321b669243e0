package io.orrery.viewinghistory.internal.processor;

import com.hazelcast.map.IMap;
import io.orrery.viewinghistory.grid.SessionAppend;
import io.orrery.viewinghistory.grid.SessionCodec;
import io.orrery.viewinghistory.grid.SessionState;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A batch's appends, sent in waves while the batch is still being read, and its entries written wave by wave: the
 * grid runs the appends of later waves while the caller reads on and writes the entries of earlier ones, where a
 * batch sent whole had its caller wait on the grid with nothing to do, then the grid idle while it wrote.
 *
 * <p>Each wave groups its events by session ({@link SessionAppend}). A session with events in two waves gets an
 * append in each; the grid runs them in the order sent (one caller, one key, one partition), so the later one
 * answers the state holding both. Each answer that closes the session is written; were two ever run out of order
 * (a call retried), the store keeps the newest version of the two. A session whose append or write failed in any
 * wave is handed back as failed with that wave's events, and never counted as written: its events go to the delay
 * queue, and until they are processed its offsets stay held.
 */
public final class SessionAppends {

    /**
     * Events per wave: four waves to a batch of the node's default size. Measured against one wave per batch (the
     * batch sent whole): 11-16 % more events a second (benchmarks/BENCHMARKS.md, "Appends in waves").
     */
    static final int WAVE_EVENTS = 500;

    private record Wave(Map<String, List<PlaybackEvent>> events, Map<String, CompletableFuture<byte[]>> answers) {
    }

    private final IMap<String, Object> sessions;
    private final EntryWriter writer;
    private final long now;
    private final long retentionSeconds;
    private final int waveEvents;
    private final List<Wave> waves = new ArrayList<>();
    private Map<String, List<PlaybackEvent>> pending = new LinkedHashMap<>();
    private int pendingEvents;
    private int added;

    SessionAppends(IMap<String, Object> sessions, EntryWriter writer, long now, long retentionSeconds,
                   int waveEvents) {
        this.sessions = sessions;
        this.writer = writer;
        this.now = now;
        this.retentionSeconds = retentionSeconds;
        this.waveEvents = waveEvents;
    }

    /** Adds an event; a full wave is sent at once. */
    public void add(PlaybackEvent event) {
        pending.computeIfAbsent(event.sessionId(), k -> new ArrayList<>()).add(event);
        added++;
        if (++pendingEvents >= waveEvents) {
            send();
        }
    }

    /** Events added so far. */
    int events() {
        return added;
    }

    /** Sends what is left, then awaits each wave in turn and writes its closed sessions. */
    SessionProcessor.Outcome finish() {
        send();
        List<SessionProcessor.Failure> failures = new ArrayList<>();
        Set<String> written = new HashSet<>();
        Set<String> failed = new HashSet<>();
        for (Wave wave : waves) {
            Map<String, SessionState> closed = new LinkedHashMap<>();
            wave.answers().forEach((session, answer) -> {
                try {
                    byte[] state = answer.join();
                    if (state != null) {
                        closed.put(session, SessionCodec.read(state));
                    }
                } catch (RuntimeException e) {
                    failures.add(new SessionProcessor.Failure(wave.events().get(session), unwrap(e)));
                    failed.add(session);
                }
            });
            Map<String, Exception> notWritten = writer.write(closed).failed();     // the grid's updates not awaited
            notWritten.forEach((session, error) -> {
                failures.add(new SessionProcessor.Failure(wave.events().get(session), error));
                failed.add(session);
            });
            written.addAll(closed.keySet());
        }
        written.removeAll(failed);
        return new SessionProcessor.Outcome(failures, written);
    }

    private void send() {
        if (pending.isEmpty()) {
            return;
        }
        Map<String, CompletableFuture<byte[]>> answers = new LinkedHashMap<>();
        pending.forEach((session, events) -> answers.put(session, sessions.submitToKey(session,
                new SessionAppend(events.stream().map(SessionAppends::step).toList(), now, retentionSeconds))
                .toCompletableFuture()));
        waves.add(new Wave(pending, answers));
        pending = new LinkedHashMap<>();
        pendingEvents = 0;
    }

    private static SessionState.Step step(PlaybackEvent e) {
        return new SessionState.Step(e.seq(), e.type(), e.positionMs(), e.clientTs(), e.userId(), e.titleId(),
                e.device());
    }

    static Exception unwrap(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof Exception exception ? exception : new CompletionException(cause);
    }
}
