/** The node's Kafka connection. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.orrery.api.kafka;
