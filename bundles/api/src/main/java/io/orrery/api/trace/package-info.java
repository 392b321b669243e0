/** Trace context carried through requests and queue messages, and the spans Orrery records and reads back. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.orrery.api.trace;
