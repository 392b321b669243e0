package io.orrery.functions.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.function.CallAdmission;
import io.orrery.api.function.CallTicket;
import io.orrery.api.function.ErrorClass;
import io.orrery.api.function.PoolView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pools' arithmetic, calls being plain tickets whose start is recorded. */
class PoolTreeTest {

    /** Admitted calls in order, by label, with their slots. */
    final Map<String, CallAdmission.Slot> running = new LinkedHashMap<>();
    final List<String> started = new ArrayList<>();

    static PoolTree tree(String... keyValues) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return new PoolTree(PoolPlan.parse(props), PoolEvents.NONE);
    }

    /** Four slots; tenant a reserves two of them, tenant b reserves none. */
    static PoolTree twoTenants() {
        return tree("pool.root.max", "4", "pool.a.parent", "root", "pool.a.reserved", "2",
                "pool.b.parent", "root", "tenant.a", "a", "tenant.b", "b", "waiting", "100");
    }

    CallAdmission.Waiting submit(PoolTree tree, String label, String tenant, String function, int priority) {
        return tree.request(new CallTicket(tenant, function, priority, null), slot -> {
            running.put(label, slot);
            started.add(label);
        });
    }

    void end(String label) {
        running.remove(label).release(null);
    }

    PoolView view(PoolTree tree, String pool) {
        return tree.pools().stream().filter(v -> v.name().equals(pool)).findFirst().orElseThrow();
    }

    @Test
    void idleReservedSlotsAreLentAndTheOwnerTakesTheNextFreeSlotBeforeEarlierBorrowers() {
        PoolTree tree = twoTenants();
        for (int i = 1; i <= 6; i++) {
            submit(tree, "b" + i, "b", "f", 5);
        }
        assertThat(started).containsExactly("b1", "b2", "b3", "b4"); // a's two reserved slots lent to b
        assertThat(view(tree, "a").lent()).isEqualTo(2);
        assertThat(view(tree, "b").inUse()).isEqualTo(4);
        assertThat(view(tree, "b").waiting()).isEqualTo(2);

        submit(tree, "a1", "a", "f", 0); // lower priority and later than b5, b6: still the owner
        assertThat(started).hasSize(4);
        end("b1");
        assertThat(started).containsExactly("b1", "b2", "b3", "b4", "a1");
        assertThat(view(tree, "a").lent()).isEqualTo(1);
        end("b2");
        assertThat(started).endsWith("b5"); // a has nothing waiting: b borrows again
        assertThat(view(tree, "a").lent()).isEqualTo(1);
    }

    @Test
    void aPoolNeverHoldsMoreThanItsMaxEvenWithTheRootIdle() {
        PoolTree tree = tree("pool.root.max", "4", "pool.b.parent", "root", "pool.b.max", "2", "tenant.b", "b");
        submit(tree, "b1", "b", "f", 5);
        submit(tree, "b2", "b", "f", 5);
        submit(tree, "b3", "b", "f", 5);
        submit(tree, "r1", "other", "f", 5); // the default pool is the root
        assertThat(started).containsExactly("b1", "b2", "r1");
        assertThat(view(tree, "root").inUse()).isEqualTo(3);
        end("b1");
        assertThat(started).endsWith("b3");
    }

    @Test
    void aReservationHigherUpIsTakenBackForAnyPoolBelowIt() {
        PoolTree tree = tree("pool.root.max", "4", "pool.media.parent", "root", "pool.media.reserved", "2",
                "pool.encode.parent", "media", "pool.batch.parent", "root", "function.media.encode", "encode",
                "tenant.x", "batch", "waiting", "100");
        for (int i = 1; i <= 5; i++) {
            submit(tree, "x" + i, "x", "report", 5);
        }
        submit(tree, "e1", "acme", "media.encode", 5);
        assertThat(started).containsExactly("x1", "x2", "x3", "x4");
        end("x1");
        assertThat(started).endsWith("e1");
        assertThat(view(tree, "media").inUse()).isEqualTo(1);
        assertThat(view(tree, "encode").inUse()).isEqualTo(1);
    }

    @Test
    void underScarcityHigherPriorityRunsFirstThenFirstComeFirstServed() {
        PoolTree tree = tree("pool.root.max", "1");
        submit(tree, "busy", "t", "f", 5);
        submit(tree, "p1", "t", "f", 1);
        submit(tree, "p9", "t", "f", 9);
        submit(tree, "p5a", "t", "f", 5);
        submit(tree, "p5b", "t", "f", 5);
        end("busy");
        end("p9");
        end("p5a");
        end("p5b");
        assertThat(started).containsExactly("busy", "p9", "p5a", "p5b", "p1");
    }

    @Test
    void opportunisticCallsRunOnlyOnCapacityNoRegularCallIsWaitingFor() {
        PoolTree tree = tree("pool.root.max", "2", "opportunistic", "reindex, thumbnails");
        submit(tree, "o1", "t", "reindex", 9); // idle capacity: runs at once
        submit(tree, "r1", "t", "encode", 0);
        submit(tree, "o2", "t", "thumbnails", 9);
        submit(tree, "r2", "t", "encode", 0);
        assertThat(started).containsExactly("o1", "r1");
        end("o1");
        assertThat(started).endsWith("r2"); // the regular call, though it came later with a lower priority
        end("r1");
        assertThat(started).endsWith("o2"); // nothing regular waits any more
    }

    @Test
    void aWithdrawnCallNeverStartsAndFreesItsPlaceInTheWaitingRoom() {
        PoolTree tree = tree("pool.root.max", "1", "waiting", "2");
        submit(tree, "busy", "t", "f", 5);
        CallAdmission.Waiting w = submit(tree, "gone", "t", "f", 5);
        submit(tree, "next", "t", "f", 5);
        assertThat(tree.room()).isZero();
        assertThat(w.withdraw()).isTrue();
        assertThat(tree.room()).isEqualTo(1);
        end("busy");
        assertThat(started).containsExactly("busy", "next");
        assertThat(w.withdraw()).isFalse();
    }

    @Test
    void aReleasedSlotIsReleasedOnceAndItsOutcomeIsCounted() {
        FunctionCounts counts = new FunctionCounts();
        PoolTree tree = new PoolTree(PoolPlan.parse(Map.of("pool.root.max", "2")), counts);
        List<CallAdmission.Slot> slots = new ArrayList<>();
        for (ErrorClass failure : new ErrorClass[] {null, ErrorClass.TIMEOUT, ErrorClass.USER, ErrorClass.TIMEOUT}) {
            tree.request(new CallTicket("t", "f", 5, null), slots::add);
            CallAdmission.Slot slot = slots.get(slots.size() - 1);
            slot.release(failure);
            slot.release(failure);
        }
        tree.request(new CallTicket("u", "f", 5, null), slot -> slot.release(ErrorClass.PLATFORM));
        assertThat(view(tree, "root").inUse()).isZero();
        assertThat(counts.invocations("t", "f")).isEqualTo(4);
        assertThat(counts.failures("t", "f")).containsEntry(ErrorClass.TIMEOUT, 2L)
                .containsEntry(ErrorClass.USER, 1L).containsEntry(ErrorClass.PLATFORM, 0L)
                .containsEntry(ErrorClass.TRANSIENT, 0L);
        assertThat(counts.invocations(null, "f")).isEqualTo(5);
        assertThat(counts.failures(null, "f")).containsEntry(ErrorClass.PLATFORM, 1L);
    }

    @Test
    void aNewPlanAppliesToRunningPoolsKeepingHeldSlotsAndAdmittingWhatNowFits() {
        PoolTree tree = twoTenants();
        for (int i = 1; i <= 6; i++) {
            submit(tree, "b" + i, "b", "f", 5);
        }
        assertThat(started).hasSize(4);
        tree.reconfigure(PoolPlan.parse(Map.of("pool.root.max", "6", "pool.b.parent", "root",
                "pool.b.max", "5", "tenant.b", "b")));
        assertThat(started).containsExactly("b1", "b2", "b3", "b4", "b5");
        assertThat(view(tree, "b").inUse()).isEqualTo(5);
        tree.resize("b", 0, 6);
        assertThat(started).endsWith("b6");
        end("b1");
        assertThat(view(tree, "root").inUse()).isEqualTo(5);
    }

    @Test
    void callsOfAPoolThatWentAwayRunInTheDefaultPool() {
        PoolTree tree = twoTenants();
        submit(tree, "a1", "a", "f", 5);
        tree.reconfigure(PoolPlan.parse(Map.of("pool.root.max", "2")));
        assertThat(view(tree, "root").inUse()).isEqualTo(1);
        end("a1");
        assertThat(view(tree, "root").inUse()).isZero();
    }

    @Test
    void tenantsBelowTheirReservationAreOwedClaimsCountingTheirWaitingCalls() {
        PoolTree tree = twoTenants();
        assertThat(tree.owedTenants()).containsExactly("a");
        submit(tree, "a1", "a", "f", 5);
        assertThat(tree.owedTenants()).containsExactly("a");
        submit(tree, "a2", "a", "f", 5);
        assertThat(tree.owedTenants()).isEmpty();
    }
}
