/**
 * The Emirax rule sandbox: {@link io.orrery.emirax.sandbox.Checked}, which compiled rule code calls for every
 * dynamic operation, and {@link io.orrery.emirax.sandbox.RuleClassVerifier}, which the server runs on every rule
 * class before loading it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.orrery.emirax.sandbox;
