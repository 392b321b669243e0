package io.orrery.api.engine;

import java.util.Objects;

/**
 * One rule of a workflow version.
 *
 * @param name        unique within the workflow
 * @param salience    higher fires first when several rules match; ties go by declaration order
 * @param fingerprint a digest of the rule's source text; a rule whose fingerprint is unchanged in a new version
 *                    need not be re-evaluated on instances where nothing it reads has changed (may be null)
 * @param match       when the rule fires
 * @param action      what it does when it fires (may do nothing)
 * @param reaction    applies each settled call's result; null ignores results
 * @param onError     handles failed calls and a throwing action; null fails the instance with the message
 */
public record RuleDefinition(String name, int salience, String fingerprint, RuleMatch match, RuleAction action,
                             RuleReaction reaction, RuleErrorHandler onError) {

    public RuleDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(match, "rule " + name + ": match");
        Objects.requireNonNull(action, "rule " + name + ": action");
    }
}
