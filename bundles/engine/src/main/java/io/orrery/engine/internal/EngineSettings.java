package io.orrery.engine.internal;

import java.time.Duration;

/**
 * The engine's knobs.
 *
 * @param sectionTimeLimit   how long one match, action, reaction or error handler may run
 * @param loopLimit          the loop guard: firings of one rule between two external events before the instance fails
 * @param firingLogSize      firings kept per instance
 * @param callTimeout        a call's per-attempt timeout unless it names one
 * @param callRetries        a call's further attempts after the first unless it names a number
 * @param lanes              evaluation threads; 0 runs every event on the caller's thread (the test kit)
 * @param dependencyTracking re-evaluate only rules whose reads intersect the changed facts (off: every rule)
 */
public record EngineSettings(Duration sectionTimeLimit, int loopLimit, int firingLogSize, Duration callTimeout,
                             int callRetries, int lanes, boolean dependencyTracking) {

    public static EngineSettings defaults() {
        return new EngineSettings(Duration.ofSeconds(1), 1000, 100, Duration.ofMinutes(5), 2,
                Math.max(2, Runtime.getRuntime().availableProcessors()), true);
    }

    public EngineSettings withSectionTimeLimit(Duration d) {
        return new EngineSettings(d, loopLimit, firingLogSize, callTimeout, callRetries, lanes, dependencyTracking);
    }

    public EngineSettings withLoopLimit(int n) {
        return new EngineSettings(sectionTimeLimit, n, firingLogSize, callTimeout, callRetries, lanes, dependencyTracking);
    }

    public EngineSettings withFiringLogSize(int n) {
        return new EngineSettings(sectionTimeLimit, loopLimit, n, callTimeout, callRetries, lanes, dependencyTracking);
    }

    public EngineSettings withLanes(int n) {
        return new EngineSettings(sectionTimeLimit, loopLimit, firingLogSize, callTimeout, callRetries, n, dependencyTracking);
    }

    public EngineSettings withDependencyTracking(boolean on) {
        return new EngineSettings(sectionTimeLimit, loopLimit, firingLogSize, callTimeout, callRetries, lanes, on);
    }

    public EngineSettings withCallRetries(int n) {
        return new EngineSettings(sectionTimeLimit, loopLimit, firingLogSize, callTimeout, n, lanes, dependencyTracking);
    }
}
