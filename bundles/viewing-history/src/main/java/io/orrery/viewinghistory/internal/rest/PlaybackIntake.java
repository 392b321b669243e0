package io.orrery.viewinghistory.internal.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.orrery.api.rest.RestAnswer;
import io.orrery.api.rest.RestCall;
import io.orrery.api.rest.RestProblem;
import io.orrery.viewinghistory.internal.event.EventCodec;
import io.orrery.viewinghistory.internal.event.InvalidEventException;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import io.orrery.viewinghistory.publisher.PlaybackPublisher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code POST /playback/events}: one event or an array of them. Each is validated on its own: a single bad event
 * is a 400 naming its field; in a batch only the bad ones are rejected and listed, the rest go on. Users inside
 * the rollout are published through the publisher and acknowledged at once (202); the others are processed on the
 * request path ({@link RequestPath}) and the answer (200) comes after the store write.
 *
 * <p>In shadow mode every event takes both paths, whatever the rollout: processed on the request path into the
 * store users read (the system of record until the migration is validated, answered 200 after the write) and
 * published for the Kafka processor, which writes the shadow store; the shadow validator compares the two.
 */
public final class PlaybackIntake {

    public static final long MAX_BODY = 1024 * 1024;
    public static final int MAX_EVENTS = 1000;

    /** One rejected event of a batch. */
    public record Rejected(int index, String field, String detail) {
    }

    /** The answer's body. */
    public record Receipt(int accepted, int processed, int dropped, List<Rejected> rejected) {
    }

    private final PlaybackPublisher publisher;
    private final RequestPath requestPath;
    private final Rollout rollout;
    private final boolean shadow;
    private final Function<String, String> topics;

    public PlaybackIntake(PlaybackPublisher publisher, RequestPath requestPath, Rollout rollout) {
        this(publisher, requestPath, rollout, false, null);
    }

    /**
     * @param shadow whether every event takes both paths (shadow mode)
     * @param topics the local topic an event of this user goes to (the region router's choice); null for the
     *               publisher's own topic
     */
    public PlaybackIntake(PlaybackPublisher publisher, RequestPath requestPath, Rollout rollout, boolean shadow,
                          Function<String, String> topics) {
        this.publisher = publisher;
        this.requestPath = requestPath;
        this.rollout = rollout;
        this.shadow = shadow;
        this.topics = topics == null ? user -> publisher.settings().topic() : topics;
    }

    public RestAnswer accept(RestCall call) {
        JsonNode body = read(call.body(MAX_BODY));
        List<PlaybackEvent> events = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        if (body.isArray()) {
            if (body.size() == 0 || body.size() > MAX_EVENTS) {
                throw RestProblem.badRequest("body", "give 1 to " + MAX_EVENTS + " events, got " + body.size());
            }
            for (int i = 0; i < body.size(); i++) {
                try {
                    events.add(EventCodec.read(body.get(i)));
                } catch (InvalidEventException bad) {
                    rejected.add(new Rejected(i, bad.field(), bad.getMessage()));
                }
            }
            if (events.isEmpty()) {
                Rejected first = rejected.get(0);
                throw RestProblem.badRequest("[" + first.index() + "]." + first.field(), "every event was rejected: "
                        + rejected.stream().map(r -> "[" + r.index() + "] " + r.detail()).toList());
            }
        } else {
            events.add(EventCodec.read(body)); // a single bad event: 400 naming its field
        }
        return route(events, rejected);
    }

    private RestAnswer route(List<PlaybackEvent> events, List<Rejected> rejected) {
        List<PlaybackEvent> synchronous = new ArrayList<>();
        List<PlaybackEvent> published = new ArrayList<>();
        for (PlaybackEvent event : events) {
            boolean asynchronous = shadow || rollout.asynchronous(event.userId());
            if (shadow || !asynchronous) {
                synchronous.add(event);
            }
            if (asynchronous) {
                published.add(event);
            }
        }
        if (!synchronous.isEmpty()) {
            requestPath.record(synchronous); // before anything is published: a 503 here keeps nothing of the request
        }
        int accepted = 0;
        int dropped = 0;
        for (PlaybackEvent event : published) {
            if (publisher.publish(topics.apply(event.userId()), EventCodec.write(event), event.critical())) {
                accepted += shadow ? 0 : 1;
            } else {
                dropped++;
            }
        }
        if (dropped > 0 && accepted == 0 && synchronous.isEmpty()) {
            throw RestProblem.unavailable("the event buffer is full; retry later");
        }
        if (synchronous.isEmpty()) {
            return RestAnswer.of(202, new Receipt(accepted, 0, dropped, rejected));
        }
        requestPath.process(synchronous);
        return RestAnswer.of(200, new Receipt(accepted + synchronous.size(), synchronous.size(), dropped, rejected));
    }

    private static JsonNode read(byte[] body) {
        if (body.length == 0) {
            throw RestProblem.badRequest("body", "required: one event or an array of events");
        }
        try {
            return EventCodec.MAPPER.readTree(body);
        } catch (IOException e) {
            throw RestProblem.badRequest("body", "malformed JSON");
        }
    }
}
