/**
 * REST endpoints contributed by platform bundles and mounted by the gateway behind its request gate.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.orrery.api.rest;
