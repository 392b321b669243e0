package io.orrery.engine.internal.verify;

import java.util.Map;

/**
 * A tenant bundle that passed verification: whose it is, and the class files of its scripts (the only classes the
 * server will load from it), as they were checked.
 *
 * @param scriptClasses binary class name to class file, for every script class and its nested classes
 */
public record VerifiedBundle(String tenant, String symbolicName, String version, Map<String, String> headers,
                             Map<String, byte[]> scriptClasses) {

    public VerifiedBundle {
        headers = Map.copyOf(headers);
        scriptClasses = Map.copyOf(scriptClasses);
    }
}
