package io.orrery.queue.internal;

import java.util.Random;

/**
 * Runs randomised schedules, each from its own seed, and names the seed of the first that fails, with the
 * properties that replay it alone: {@code -Dorrery.schedule.seed=<seed> -Dorrery.schedules=1}. The base seed is
 * random unless given, and printed, so a run can be repeated exactly.
 */
final class SeededSchedules {

    /** One schedule: builds its steps from {@code random} only, so its seed replays it. */
    @FunctionalInterface
    interface Schedule {
        void run(long seed, Random random) throws Exception;
    }

    private SeededSchedules() {
    }

    /** The number of schedules to run: {@code orrery.schedules}, or {@code dflt}. */
    static int count(int dflt) {
        return Integer.getInteger("orrery.schedules", dflt);
    }

    static void run(String name, int count, Schedule schedule) {
        long base = Long.getLong("orrery.schedule.seed", new Random().nextLong() & 0xFFFF_FFFFL);
        System.out.printf("%s: %d schedule(s) from seed %d%n", name, count, base);
        for (int k = 0; k < count; k++) {
            long seed = base + k;
            try {
                schedule.run(seed, new Random(seed));
            } catch (Throwable t) {
                String replay = "-Dorrery.schedule.seed=" + seed + " -Dorrery.schedules=1";
                System.out.printf("%s: schedule with seed %d failed (replay: %s)%n", name, seed, replay);
                throw new AssertionError(name + ": schedule with seed " + seed + " failed (replay: " + replay
                        + "): " + t, t);
            }
        }
    }
}
