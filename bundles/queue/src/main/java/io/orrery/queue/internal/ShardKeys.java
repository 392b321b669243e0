package io.orrery.queue.internal;

import io.orrery.api.queue.QueueId;

/**
 * Names of a queue's shards in the shard map: {@code tenant/queue#index}. Hazelcast places each key on the
 * partition its hash picks, so a queue's shards land on different partitions and members.
 *
 * <p>A message goes to the shard its exclusive key hashes to (all messages of one key must be in one shard for
 * the one-leased-per-key rule to be decided locally), or else the one its id hashes to (so a duplicate id meets
 * the original). Consequence: a message id must always be enqueued with the same exclusive key.
 */
final class ShardKeys {

    private ShardKeys() {
    }

    static String key(QueueId queue, int index) {
        return queue.tenant() + "/" + queue.name() + "#" + index;
    }

    static int indexFor(String id, String exclusiveKey, int shards) {
        return Math.floorMod((exclusiveKey != null ? exclusiveKey : id).hashCode() * 0x9E3779B9, shards);
    }

    static QueueId queueOf(String key) {
        return QueueId.parse(key.substring(0, key.lastIndexOf('#')));
    }

    static int indexOf(String key) {
        return Integer.parseInt(key.substring(key.lastIndexOf('#') + 1));
    }
}
