package io.orrery.viewinghistory.internal.event;

/**
 * One playback event as SPEC.md defines it. {@code seq} increases within a session; {@code clientTs} is epoch
 * milliseconds on the player's clock.
 */
public record PlaybackEvent(String eventId, String sessionId, String userId, String titleId, EventType type,
                            long seq, long positionMs, long clientTs, String device, boolean critical) {
}
