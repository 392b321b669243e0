package io.orrery.api.function;

import java.time.Duration;

/**
 * What a command that exited with status 0 wrote, each stream bounded by the command's output limit (the end is
 * kept; a note at the start says how much was dropped).
 */
public record CommandResult(String stdout, String stderr, Duration elapsed) {
}
