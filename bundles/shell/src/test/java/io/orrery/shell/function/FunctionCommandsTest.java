package io.orrery.shell.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orrery.api.function.CallTicket;
import io.orrery.api.function.ErrorClass;
import io.orrery.functions.internal.catalog.KnownFunctions;
import io.orrery.functions.internal.pool.FunctionCounts;
import io.orrery.functions.internal.pool.PoolPlan;
import io.orrery.functions.internal.pool.PoolTree;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The function and pool commands on the real pools and function list. */
class FunctionCommandsTest {

    final FunctionCounts counts = new FunctionCounts();
    final PoolTree pools = new PoolTree(PoolPlan.parse(Map.of("pool.root.max", "4", "pool.acme.parent", "root",
            "pool.acme.reserved", "2", "pool.beta.parent", "root", "tenant.acme", "acme", "tenant.beta", "beta")),
            counts);
    final KnownFunctions catalog = new KnownFunctions(pools, counts);

    static String run(FunctionCommandSupport command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        command.execute();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    String functionList(String tenant) throws Exception {
        FunctionListCommand c = new FunctionListCommand();
        c.catalog = catalog;
        c.tenant = tenant;
        return run(c);
    }

    String poolList() throws Exception {
        PoolListCommand c = new PoolListCommand();
        c.pools = pools;
        return run(c);
    }

    static String[] cells(String out, String rowStart) {
        String row = out.lines().filter(l -> l.trim().startsWith(rowStart)).findFirst().orElseThrow();
        return java.util.Arrays.stream(row.split("[|│]")).map(String::trim).toArray(String[]::new);
    }

    @Test
    void functionListShowsEachFunctionWithItsPoolAndFailuresByClassAndATenantOnlyItsOwnAndThePlatforms()
            throws Exception {
        catalog.add(new KnownFunctions.Published("media.encode", "acme", true));
        catalog.add(new KnownFunctions.Published("greet", "beta", true));
        catalog.add(new KnownFunctions.Published("echo", null, false));
        pools.request(new CallTicket("acme", "media.encode", 5, null), slot -> slot.release(ErrorClass.TIMEOUT));
        pools.request(new CallTicket("acme", "media.encode", 5, null), slot -> slot.release(null));

        String all = functionList(null);
        assertThat(cells(all, "acme")).containsExactly("acme", "media.encode", "host", "acme", "2", "timeout:1");
        assertThat(cells(all, "(platform)")).containsExactly("(platform)", "echo", "server", "root", "0", "-");
        assertThat(all).contains("greet");

        String acme = functionList("acme");
        assertThat(acme).contains("media.encode", "echo").doesNotContain("greet");
    }

    @Test
    void aTenantsHostileFunctionNameReachesTheTerminalEscaped() throws Exception {
        catalog.add(new KnownFunctions.Published("evil\u001b[2J\nforged", "acme", true));
        String out = functionList(null);
        assertThat(out).doesNotContain("\u001b").contains("evil\\u001b[2J\\nforged");
    }

    @Test
    void poolListShowsTheTreeWithSlotsInUseAndLentAndPoolSetChangesItAtOnce() throws Exception {
        for (int i = 0; i < 5; i++) {
            pools.request(new CallTicket("beta", "f", 5, null), slot -> { });
        }
        String out = poolList();
        assertThat(cells(out, "root")).containsExactly("root", "0", "4", "4", "0", "0");
        assertThat(cells(out, "acme")).containsExactly("acme", "2", "4", "0", "2", "0");
        assertThat(cells(out, "beta")).containsExactly("beta", "0", "4", "4", "0", "1");
        assertThat(out.lines().filter(l -> l.contains("acme")).findFirst().orElseThrow()).startsWith("  acme");

        PoolSetCommand set = new PoolSetCommand();
        set.pools = pools;
        set.pool = "root";
        set.reserved = 0;
        set.max = 5;
        assertThat(run(set)).contains("Pool root: reserved 0, max 5 (4 in use, 0 waiting)");
        assertThat(cells(poolList(), "beta")).containsExactly("beta", "0", "4", "4", "0", "1"); // beta's own max

        set.pool = "acme";
        set.reserved = 9;
        set.max = 4;
        assertThatThrownBy(() -> run(set)).hasMessageContaining("pool.acme.reserved");
        set.pool = "gold";
        assertThatThrownBy(() -> run(set)).hasMessageContaining("no pool named 'gold'");
    }
}
