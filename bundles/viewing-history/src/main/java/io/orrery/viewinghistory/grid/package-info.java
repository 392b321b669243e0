/**
 * The viewing-history processor's Hazelcast entry processors and the session state they keep (as bytes, see SessionCodec).
 * Exported only so the cluster bundle's class loader, which Hazelcast uses to read entry processors, finds them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.5.0")
package io.orrery.viewinghistory.grid;
