package io.orrery.engine.internal;

import java.util.function.Consumer;

/**
 * Which node re-evaluates the stored instances when a workflow version is deployed. The instances are the cluster's
 * (one table), so one pass serves every node: every node installs the version, one re-evaluates. A node that dies
 * before it finishes leaves its claim to another node, which does the whole pass again (harmless: rules that fired
 * already do not fire twice).
 */
public interface ReevaluationClaims extends AutoCloseable {

    /** Each deploy re-evaluates on the node that makes it: a node on its own, or the engine core alone. */
    ReevaluationClaims EVERY_NODE = new ReevaluationClaims() {
        @Override
        public boolean take(ReevaluationClaim claim) {
            return true;
        }

        @Override
        public void done(ReevaluationClaim claim) {
        }

        @Override
        public void release(ReevaluationClaim claim) {
        }

        @Override
        public void forget(String tenant, String workflow) {
        }
    };

    /**
     * True when this node is to re-evaluate now: no node has taken the claim, or this node had (an engine started
     * again on the same member), or the node that had has left the cluster. False when it is done or in progress
     * on another live node.
     */
    boolean take(ReevaluationClaim claim);

    /** The re-evaluation this node took is complete. */
    void done(ReevaluationClaim claim);

    /** The re-evaluation this node took failed here: another deploy, here or elsewhere, may take it again. */
    void release(ReevaluationClaim claim);

    /** The workflow was undeployed: whatever its next deployment, it re-evaluates (its results may be parked). */
    void forget(String tenant, String workflow);

    /** Tells {@code takeOver} of every claim whose node leaves the cluster before it is done. */
    default void onAbandoned(Consumer<ReevaluationClaim> takeOver) {
    }

    @Override
    default void close() {
    }
}
