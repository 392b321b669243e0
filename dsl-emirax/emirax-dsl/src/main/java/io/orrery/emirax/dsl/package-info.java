/**
 * The DSL's context classes: each block of an Emirax source ({@code workflow}, {@code input}, {@code rule},
 * {@code match}, {@code action}, {@code reaction}, {@code error}) runs with one of these as its delegate.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.orrery.emirax.dsl;
