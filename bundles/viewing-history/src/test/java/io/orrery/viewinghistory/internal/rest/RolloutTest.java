package io.orrery.viewinghistory.internal.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RolloutTest {

    private static final List<String> USERS = IntStream.range(0, 2000).mapToObj(i -> "user-" + i).toList();

    @Test
    void zeroPercentKeepsEveryUserSynchronousAndHundredSendsEveryoneThroughKafka() {
        assertThat(USERS).noneMatch(new Rollout(() -> 0)::asynchronous);
        assertThat(USERS).allMatch(new Rollout(() -> 100)::asynchronous);
    }

    @Test
    void fiftyPercentSplitsUsersByHashTheSameWayEveryTime() {
        Set<String> first = asynchronous(50);
        assertThat(first.size()).isBetween(900, 1100);
        assertThat(asynchronous(50)).isEqualTo(first);
        // each user's bucket is fixed: the split does not depend on the order or set of users asked about
        assertThat(first).allMatch(u -> Rollout.bucket(u) < 50);
        assertThat(Rollout.bucket("user-7")).isEqualTo(Math.floorMod("user-7".hashCode() * 0x9E3779B1, 100));
    }

    @Test
    void raisingThePercentageOnlyMovesUsersFromSynchronousToKafka() {
        assertThat(asynchronous(60)).containsAll(asynchronous(50));
        assertThat(asynchronous(50)).containsAll(asynchronous(1));
    }

    private static Set<String> asynchronous(int percent) {
        Rollout rollout = new Rollout(() -> percent);
        return USERS.stream().filter(rollout::asynchronous).collect(Collectors.toSet());
    }
}
