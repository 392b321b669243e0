/**
 * Fault injection: named crash points that the code passes through and that a test may arm. Off (one volatile
 * read per point) unless a test arms a point.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.orrery.api.fault;
