/**
 * Emirax, Orrery's workflow DSL: the ahead-of-time {@link io.orrery.emirax.EmiraxCompiler}, the script base class
 * every Emirax source compiles to, and the loader that turns compiled classes into the engine's model.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.orrery.emirax;
