/**
 * The part of the queue that runs inside Hazelcast members: the shard structure held as a map value and the entry
 * processors that operate on it on the partition that owns it.
 *
 * <p>Not an API. The package is exported only so that the Hazelcast member's class loader (the cluster bundle's
 * {@code Config} class loader, which dynamically imports {@code io.orrery.*}) can load these classes when it
 * deserializes entry processors, migrations and backups. Everything here is plain Java with
 * {@link com.hazelcast.nio.serialization.DataSerializable} written by hand: no tenant classes ever reach a member.
 */
package io.orrery.queue.grid;
