package io.orrery.engine.internal.verify;

import io.orrery.emirax.sandbox.RuleClassVerifier;
import io.orrery.emirax.sandbox.Violation;
import java.util.List;

/**
 * A check of one rule class the server is about to load from a tenant bundle (a compiled script or one of its
 * nested classes, except the classes of its {@code function} blocks, which run in the function host), run on its
 * bytes before any class loader has seen them. The verification runs it on every such class and refuses the bundle
 * when any answers a violation; static initializers and references to unverified classes of the bundle are
 * refused besides, whatever this check says.
 */
@FunctionalInterface
public interface ClassFileCheck {

    /**
     * @param className the binary name ({@code emirax.acme.internal.encode_video$_run_closure1})
     * @param classFile the class file's bytes, as the bundle holds them
     * @return what is wrong with the class, one reason each; empty when nothing is
     */
    List<String> violations(String className, byte[] classFile);

    /** The check every deploy path runs: Emirax's allow-list of what its compiler emits for rule code. */
    static ClassFileCheck standard() {
        return (className, classFile) -> RuleClassVerifier.verify(className, classFile).stream()
                .map(Violation::toString).toList();
    }
}
