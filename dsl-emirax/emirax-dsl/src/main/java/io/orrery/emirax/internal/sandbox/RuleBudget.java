package io.orrery.emirax.internal.sandbox;

import io.orrery.emirax.sandbox.SandboxException;
import java.lang.management.ManagementFactory;

/**
 * The memory a rule section may use. A section (a match, an action, a reaction, an error block, or a script
 * building its model) {@linkplain #begin begins} with the thread's allocated-bytes figure as its baseline; the
 * checkpoints the compiler puts into every loop, closure and method compare against it every few hundred calls,
 * and the checker refuses single operations that would build a value past {@link #MAX_SIZE} elements or chars.
 * The per-thread figure comes from {@code com.sun.management.ThreadMXBean}; on a JVM without it only the size
 * checks apply.
 *
 * <p>A section may also have a deadline ({@link #beginTimed}), checked at the same checkpoints: a script building its
 * model runs on a thread of the server's that no one interrupts (a deploy, a dry-run), unlike the engine's sections,
 * which its own guard stops.
 */
public final class RuleBudget {

    /** Bytes a section may allocate, garbage included: {@code io.orrery.emirax.rule.maxAllocatedBytes}. */
    public static final long MAX_ALLOCATED = Long.getLong("io.orrery.emirax.rule.maxAllocatedBytes", 256L << 20);

    /** Elements or characters one value built by rule code may have: {@code io.orrery.emirax.rule.maxSize}. */
    public static final long MAX_SIZE = Long.getLong("io.orrery.emirax.rule.maxSize", 4_000_000L);

    private static final int CHECK_EVERY = 0xFF;
    private static final Allocations ALLOCATIONS = Allocations.find();
    private static final ThreadLocal<RuleBudget> CURRENT = ThreadLocal.withInitial(RuleBudget::new);

    private long baseline;
    private long deadline;
    private long limitMillis;
    private int depth;
    private int ticks;
    /** Why the section was stopped, once it was: it stays stopped, as an interrupted thread stays interrupted. */
    private String stopped;

    private RuleBudget() {
    }

    /** Starts a section on this thread; sections nest (the outer one's baseline stays). */
    public static void begin() {
        begin(0);
    }

    /** Starts a section that must also end within {@code limitMillis}; nested, the outer section's limit holds. */
    public static void beginTimed(long limitMillis) {
        begin(Math.max(1, limitMillis));
    }

    private static void begin(long limitMillis) {
        RuleBudget b = CURRENT.get();
        if (b.depth++ == 0) {
            b.baseline = ALLOCATIONS.current();
            b.ticks = 0;
            b.stopped = null;
            b.limitMillis = limitMillis;
            b.deadline = System.nanoTime() + limitMillis * 1_000_000;
        }
    }

    public static void end() {
        RuleBudget b = CURRENT.get();
        if (b.depth > 0 && --b.depth == 0) {
            b.stopped = null;
        }
    }

    /**
     * Called at every checkpoint; looks at the allocation figure every 256th time. Once the section was stopped it
     * throws every time, so rule code that got rid of the first refusal (a finally block throwing something else in
     * its place) meets it again at once.
     */
    public static void tick() {
        RuleBudget b = CURRENT.get();
        if (b.depth > 0 && (b.stopped != null || (++b.ticks & CHECK_EVERY) == 0)) {
            b.check();
        }
    }

    /** Why this thread's section was stopped, or null while it may run on. */
    static String stopped() {
        RuleBudget b = CURRENT.get();
        return b.depth > 0 ? b.stopped : null;
    }

    /** Called after an operation that may have built a large value at once. */
    static void checkNow() {
        RuleBudget b = CURRENT.get();
        if (b.depth > 0) {
            b.check();
        }
    }

    private void check() {
        if (stopped == null && limitMillis > 0 && System.nanoTime() - deadline > 0) {
            stopped = "it ran past its time limit of " + limitMillis + " ms and was stopped";
        }
        if (stopped == null && ALLOCATIONS.current() - baseline > MAX_ALLOCATED) {
            stopped = "the rule allocated more than " + (MAX_ALLOCATED >> 20)
                    + " MiB and was stopped (io.orrery.emirax.rule.maxAllocatedBytes)";
        }
        if (stopped != null) {
            throw new SandboxException(stopped);
        }
    }

    /** Refuses a value of {@code size} elements or chars that {@code what} would build. */
    static void requireSize(double size, String what) {
        if (size > MAX_SIZE || size < 0 || Double.isNaN(size)) {
            throw new SandboxException(what + " would build a value of " + (long) size + " elements; rules may build "
                    + "at most " + MAX_SIZE + " (io.orrery.emirax.rule.maxSize)");
        }
    }

    /** The calling thread's allocated bytes so far, or 0 when the JVM does not tell. */
    private interface Allocations {
        long current();

        static Allocations find() {
            try {
                var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                if (bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled()) {
                    return bean::getCurrentThreadAllocatedBytes;
                }
            } catch (LinkageError | ClassCastException | UnsupportedOperationException e) {
                // not HotSpot, or com.sun.management not visible in this framework: size checks only
            }
            return () -> 0L;
        }
    }
}
