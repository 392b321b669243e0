package io.orrery.viewinghistory.internal.node;

import io.orrery.api.rest.RestOperation;
import io.orrery.api.rest.RestResource;
import java.util.List;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The viewing-history endpoints, mounted by the gateway for the viewing-history tenant. */
@Component(service = RestResource.class)
public class PlaybackResource implements RestResource {

    private final ViewingHistory history;

    @Activate
    public PlaybackResource(@Reference ViewingHistory history) {
        this.history = history;
    }

    @Override
    public String tenant() {
        return history.tenant();
    }

    @Override
    public List<RestOperation> operations() {
        return List.of(
                new RestOperation("playback-events", "POST", "/playback/events", Set.of(),
                        "One playback event or an array of them: 202 once published (200 after the store write for "
                                + "users outside the rollout); bad events are rejected and listed",
                        call -> history.intake().accept(call)),
                new RestOperation("viewing-history", "GET", "/users/{user}/viewing-history",
                        Set.of("limit", "cursor", "includeHidden"),
                        "The user's viewing history, newest first, paged; hidden entries only with includeHidden=true",
                        call -> history.queries().history(call)),
                new RestOperation("viewing-history-hide", "POST", "/users/{user}/viewing-history/{sessionId}/hide",
                        Set.of(), "Hides one entry of the user's viewing history",
                        call -> history.queries().hide(call)),
                new RestOperation("bookmarks", "GET", "/users/{user}/bookmarks", Set.of("limit", "cursor"),
                        "The user's resume positions, one per title", call -> history.queries().bookmarks(call)));
    }
}
