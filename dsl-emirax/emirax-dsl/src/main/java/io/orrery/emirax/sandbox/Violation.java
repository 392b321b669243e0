package io.orrery.emirax.sandbox;

/**
 * Why a rule class was refused.
 *
 * @param className binary name of the class ({@code emirax.acme.internal.encode_video$_run_closure1})
 * @param method    the method, as {@code name(descriptor)}, or {@code null} for the class itself
 * @param reference what it references that rules may not ({@code java/lang/Runtime.exec}, {@code invokedynamic})
 * @param reason    a sentence for the tenant
 */
public record Violation(String className, String method, String reference, String reason) {

    @Override
    public String toString() {
        return className + (method == null ? "" : "." + method) + ": " + reason + " (" + reference + ")";
    }
}
