/**
 * Orrery's distributed priority queues (Timestone): messages with priority, deadline, delay, exclusivity key and
 * trace context, claimed under leases, with dead letters and fair claiming across tenants.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.orrery.api.queue;
