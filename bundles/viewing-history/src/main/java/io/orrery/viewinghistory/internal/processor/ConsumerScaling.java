package io.orrery.viewinghistory.internal.processor;

import java.time.Duration;

/**
 * How many consumers the processor should run, from records per second against a measured baseline: the most
 * records per second one consumer handled while it had a backlog (so it was working flat out). Demand above what
 * the current consumers handle scales up at once to what it needs; demand below scales down one consumer per
 * cool-down, so a dip does not cost a cascade of rebalances. Between {@code min} and {@code max}. Not thread-safe:
 * one timer drives it.
 */
public final class ConsumerScaling {

    private final int min;
    private final int max;
    private final long coolDownMillis;
    private double baseline;
    private boolean configured;
    private long lastChange = Long.MIN_VALUE / 2;

    public ConsumerScaling(int min, int max, Duration coolDown) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("consumers: need 1 <= min <= max, got " + min + ".." + max);
        }
        this.min = min;
        this.max = max;
        this.coolDownMillis = coolDown.toMillis();
    }

    /**
     * A baseline set rather than measured (records per second one consumer handles, as a load test found it);
     * observations no longer change it. 0 or less keeps it measured.
     */
    public ConsumerScaling withBaseline(double perConsumer) {
        if (perConsumer > 0) {
            baseline = perConsumer;
            configured = true;
        }
        return this;
    }

    /** Records one interval: what the consumers processed per second and whether a backlog remained. */
    public void observe(double processedPerSecond, int consumers, long lag) {
        if (!configured && lag > 0 && consumers > 0) {
            baseline = Math.max(baseline, processedPerSecond / consumers);
        }
    }

    /** Records per second one consumer handles, as measured; 0 until a backlog was seen. */
    public double baseline() {
        return baseline;
    }

    /**
     * The consumers to run now, given the arrival rate ({@code demand}, records per second) and the backlog.
     */
    public int decide(long nowMillis, double demand, long lag, int current) {
        if (baseline <= 0) {
            return clamp(current);
        }
        // a backlog counts as demand too: clear it within about ten seconds
        double wanted = demand + Math.max(0, lag) / 10.0;
        int needed = clamp((int) Math.ceil(wanted / baseline));
        if (needed > current) {
            lastChange = nowMillis;
            return needed;
        }
        if (needed < current && nowMillis - lastChange >= coolDownMillis) {
            lastChange = nowMillis;
            return clamp(current - 1);
        }
        return clamp(current);
    }

    private int clamp(int n) {
        return Math.max(min, Math.min(max, n));
    }
}
