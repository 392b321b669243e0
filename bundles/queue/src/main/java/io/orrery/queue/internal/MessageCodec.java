package io.orrery.queue.internal;

import io.orrery.api.queue.Claim;
import io.orrery.api.queue.MessageInfo;
import io.orrery.api.queue.MessageState;
import io.orrery.api.queue.QueueId;
import io.orrery.api.queue.QueueMessage;
import io.orrery.api.trace.TraceContext;
import io.orrery.queue.grid.Slot;

/** Converts between the API's messages and claims and the shards' {@link Slot}s. */
final class MessageCodec {

    private MessageCodec() {
    }

    static Slot toSlot(QueueMessage m, long stamp) {
        Slot s = Slot.incoming(m.id(), m.priority(), Micros.of(m.deadline()), Micros.of(m.notBefore()),
                m.exclusiveKey(), m.maxAttempts(), m.trace().traceId(), m.trace().spanId(), m.payload(), stamp);
        return m.attempts() == 0 ? s : s.restoredAs(MessageState.PENDING, m.attempts(), stamp, stamp, null, stamp, 0);
    }

    static QueueMessage toMessage(QueueId queue, Slot s) {
        if (s.state() != null && s.state().isFinal() && s.traceId() == null) {
            // a tombstone: only the id and how it finished are remembered
            return QueueMessage.builder(queue).id(s.id()).build();
        }
        return QueueMessage.builder(queue).id(s.id()).priority(s.priority()).deadline(Micros.instant(s.deadline()))
                .notBefore(Micros.instant(s.notBefore())).exclusiveKey(s.exclusiveKey()).attempts(s.attempts())
                .maxAttempts(s.maxAttempts()).trace(new TraceContext(s.traceId(), s.spanId()))
                .payload(s.payload() == null ? new byte[0] : s.payload()).build();
    }

    /** The lease token names the shard, so an ack by (queue, id, token) goes straight to it. */
    static Claim toClaim(QueueId queue, int shardIndex, Slot s) {
        return new Claim(toMessage(queue, s), shardIndex + ":" + s.leaseToken(), Micros.instant(s.leaseExpiry()),
                Micros.instant(s.availableAt()));
    }

    static int shardOfToken(String token) {
        int colon = token == null ? -1 : token.indexOf(':');
        if (colon <= 0) {
            return -1;
        }
        try {
            return Integer.parseInt(token.substring(0, colon));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String slotToken(String token) {
        return token.substring(token.indexOf(':') + 1);
    }

    static MessageInfo toInfo(QueueId queue, Slot s) {
        return new MessageInfo(toMessage(queue, s), s.state(), Micros.instant(s.availableAt() == 0 ? Slot.NONE
                : s.availableAt()), s.state() == MessageState.LEASED ? Micros.instant(s.leaseExpiry()) : null,
                s.lastError());
    }
}
