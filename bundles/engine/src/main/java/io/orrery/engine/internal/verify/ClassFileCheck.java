package io.orrery.engine.internal.verify;

import java.util.List;

/**
 * A check of one class file the server is about to load from a tenant bundle (a compiled script or one of its
 * nested classes), run on its bytes before any class loader has seen them. The verification runs it on every such
 * class and refuses the bundle when any answers a violation.
 */
@FunctionalInterface
public interface ClassFileCheck {

    /**
     * @param className the binary name ({@code emirax.acme.internal.encode_video$_run_closure1})
     * @param classFile the class file's bytes, as the bundle holds them
     * @return what is wrong with the class, one reason each; empty when nothing is
     */
    List<String> violations(String className, byte[] classFile);

    /** The check every deploy path runs. */
    static ClassFileCheck standard() {
        return new ForbiddenReferences();
    }
}
