package io.orrery.api.engine;

import java.time.Instant;

/**
 * One entry of an instance's firing log.
 *
 * @param rule    the rule
 * @param kind    action, reaction or error
 * @param version the workflow version the rule belonged to
 * @param at      when
 * @param calls   calls the section made
 * @param callKey for reactions and errors, the key of the settled call (may be null)
 */
public record Firing(String rule, FiringKind kind, int version, Instant at, int calls, String callKey) {
}
