/** The node's meters as the metrics endpoint serves them. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.orrery.api.metrics;
