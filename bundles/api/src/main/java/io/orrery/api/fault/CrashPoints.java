package io.orrery.api.fault;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The crash points of this JVM. Code marks a place where a crash would open a window with
 * {@code CrashPoints.reach(QueueCrashPoints.JOURNAL_TAKEN, memberName)}; a test arms that point with a
 * {@link CrashAction} (halt the member, then throw {@link SimulatedCrash}) and checks the invariants afterwards.
 *
 * <p>Unarmed, {@link #reach} costs one volatile read: the map of armed points is replaced, never changed, so the
 * hot path takes no lock. Every point that code names is recorded in {@link #seen()}, so a randomised schedule can
 * choose among the points that the run actually passes through.
 */
public final class CrashPoints {

    private static volatile Map<String, CrashAction> armed = Map.of();
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
    private static volatile boolean recording;

    private CrashPoints() {
    }

    /** Marks a crash point; does nothing unless a test armed it. */
    public static void reach(String point) {
        reach(point, null);
    }

    /** Marks a crash point owned by {@code scope} (the member or node whose code this is). */
    public static void reach(String point, Object scope) {
        if (recording) {
            SEEN.add(point);
        }
        Map<String, CrashAction> current = armed;
        if (current.isEmpty()) {
            return;
        }
        CrashAction action = current.get(point);
        if (action != null) {
            action.at(point, scope);
        }
    }

    /** Arms {@code point}: the next time any thread reaches it, {@code action} runs on that thread. */
    public static synchronized void arm(String point, CrashAction action) {
        Map<String, CrashAction> next = new HashMap<>(armed);
        next.put(point, action);
        armed = Map.copyOf(next);
    }

    /** Disarms {@code point}. */
    public static synchronized void disarm(String point) {
        Map<String, CrashAction> next = new HashMap<>(armed);
        next.remove(point);
        armed = Map.copyOf(next);
    }

    /** Disarms every point and stops recording; tests call it after each case. */
    public static synchronized void reset() {
        armed = Map.of();
        recording = false;
    }

    /** Starts recording which points are reached, for {@link #seen()}. */
    public static void record() {
        recording = true;
    }

    /** The points reached since recording started (in any test of this JVM). */
    public static Set<String> seen() {
        return Set.copyOf(SEEN);
    }
}
