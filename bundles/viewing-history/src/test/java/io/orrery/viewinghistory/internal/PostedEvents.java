package io.orrery.viewinghistory.internal;

import io.orrery.api.rest.RestCall;
import io.orrery.api.tenant.Principal;
import io.orrery.api.trace.TraceContext;
import io.orrery.viewinghistory.internal.event.EventCodec;
import io.orrery.viewinghistory.internal.event.PlaybackEvent;
import java.util.List;

/**
 * A call of {@code POST /playback/events} as the gateway hands it to the intake once it passed the gate (the gate
 * itself is exercised by PlaybackEndpointsIT): the body, nothing else.
 */
public final class PostedEvents implements RestCall {

    private final byte[] body;

    private PostedEvents(byte[] body) {
        this.body = body;
    }

    public static PostedEvents of(List<PlaybackEvent> events) {
        StringBuilder json = new StringBuilder("[");
        for (PlaybackEvent e : events) {
            json.append(json.length() > 1 ? "," : "").append(new String(EventCodec.write(e),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return new PostedEvents(json.append(']').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override public Principal principal() { return null; }
    @Override public TraceContext trace() { return null; }
    @Override public String path(String name) { return null; }
    @Override public String query(String name) { return null; }
    @Override public String header(String name) { return null; }
    @Override public byte[] body(long limit) { return body; }
}
