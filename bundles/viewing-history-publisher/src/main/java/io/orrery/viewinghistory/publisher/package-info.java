/**
 * The loss-bounded playback-event publisher: {@link io.orrery.viewinghistory.publisher.PlaybackPublisher}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.orrery.viewinghistory.publisher;
