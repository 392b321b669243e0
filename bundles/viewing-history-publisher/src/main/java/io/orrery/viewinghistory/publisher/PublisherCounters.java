package io.orrery.viewinghistory.publisher;

/**
 * What a publisher did since it started. Every accepted event ends as sent or failed; every refused one is
 * dropped. {@code accepted = sent + failed + pending}.
 *
 * @param accepted     events taken into the buffer
 * @param sent         events a broker acknowledged
 * @param failed       accepted events given up on (a non-critical send failed; a critical one ran out of attempts)
 * @param dropped      events refused because the buffer was full
 * @param pending      accepted events not yet acknowledged nor given up on (at most the buffer's capacity)
 * @param sentToBackup of {@code sent}, those the backup cluster acknowledged
 * @param onBackup     whether new events go to the backup cluster now
 */
public record PublisherCounters(long accepted, long sent, long failed, long dropped, long pending,
                                long sentToBackup, boolean onBackup) {
}
