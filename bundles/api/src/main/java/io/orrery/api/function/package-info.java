/** Compute functions that workflows call (Java OSGi services or Emirax {@code function} blocks), and the resource
 * pools their calls run in. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.6.0")
package io.orrery.api.function;
