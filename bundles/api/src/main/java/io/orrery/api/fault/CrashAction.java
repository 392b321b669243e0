package io.orrery.api.fault;

/**
 * What an armed crash point does when reached: typically halts the member named by {@code scope} and throws
 * {@link SimulatedCrash} so that the thread that reached it goes no further.
 */
@FunctionalInterface
public interface CrashAction {

    /**
     * @param point the crash point reached
     * @param scope what the code passed as the owner of this point (a member name, a node id), or {@code null}
     */
    void at(String point, Object scope);
}
