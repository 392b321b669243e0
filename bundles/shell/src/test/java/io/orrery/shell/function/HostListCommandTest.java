package io.orrery.shell.function;

import static io.orrery.shell.function.FunctionCommandsTest.cells;
import static io.orrery.shell.function.FunctionCommandsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.orrery.api.function.FunctionHostDirectory;
import io.orrery.api.function.FunctionHostView;
import io.orrery.api.function.FunctionHostView.State;
import io.orrery.api.function.TenantHostsView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code orrery:host-list} on a directory of hosts fixed by the test. */
class HostListCommandTest {

    static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    /** The directory as the functions bundle answers it: by tenant, a tenant without hosts absent. */
    record FixedDirectory(List<TenantHostsView> tenants) implements FunctionHostDirectory {
        @Override
        public Optional<TenantHostsView> tenant(String tenant) {
            return tenants.stream().filter(t -> t.tenant().equals(tenant)).findFirst();
        }
    }

    static FunctionHostView host(String tenant, int instance, long pid, State state, Duration up, int inFlight,
                                 List<String> warm) {
        return new FunctionHostView(tenant, instance, pid, state, NOW.minus(up), inFlight, true, warm);
    }

    final TenantHostsView acme = new TenantHostsView("acme", 3, 5, 1, 1, 1, List.of(
            host("acme", 0, 4101, State.WARM, Duration.ofSeconds(3_725), 2, List.of("media.encode", "media.probe")),
            host("acme", 1, 4202, State.READY, Duration.ofSeconds(65), 0, List.of()),
            host("acme", 2, 4303, State.STARTING, Duration.ofMillis(800), 0, List.of())));
    final TenantHostsView beta = new TenantHostsView("beta", 1, 1, 0, 0, 0, List.of(
            new FunctionHostView("beta", 0, 5101, State.WARM, NOW.minus(Duration.ofDays(2).plusHours(5)), 0, false,
                    List.of("greet"))));

    String hostList(FunctionHostDirectory directory, String tenant) throws Exception {
        HostListCommand c = new HostListCommand();
        c.directory = directory;
        c.tenant = tenant;
        c.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return run(c);
    }

    static String[] hostRow(String out, String pid) {
        String row = out.lines().filter(l -> l.contains(" " + pid + " ")).findFirst().orElseThrow();
        return java.util.Arrays.stream(row.split("[|│]")).map(String::trim).toArray(String[]::new);
    }

    @Test
    void eachTenantIsSummedUpThenEachOfItsHostsListedWithPidStateUptimeCallsInFlightAndSandbox() throws Exception {
        String out = hostList(new FixedDirectory(List.of(acme, beta)), null);

        assertThat(cells(out, "acme")).containsExactly("acme", "2", "3", "5", "1", "1", "1");
        assertThat(cells(out, "beta")).containsExactly("beta", "1", "1", "1", "0", "0", "0");
        assertThat(hostRow(out, "4101")).containsExactly("acme", "0", "4101", "warm", "1h02m", "2", "bubblewrap",
                "media.encode, media.probe");
        assertThat(hostRow(out, "4202")).containsExactly("acme", "1", "4202", "ready", "1m05s", "0", "bubblewrap",
                "-");
        assertThat(hostRow(out, "4303")).containsExactly("acme", "2", "4303", "starting", "0s", "0", "bubblewrap",
                "-");
        assertThat(hostRow(out, "5101")).containsExactly("beta", "0", "5101", "warm", "2d05h", "0", "off", "greet");
    }

    @Test
    void aTenantOptionListsOnlyThatTenantsHostsAndSaysSoWhenItHasNone() throws Exception {
        FixedDirectory directory = new FixedDirectory(List.of(acme, beta));

        String out = hostList(directory, "beta");
        assertThat(out).contains("5101").doesNotContain("acme").doesNotContain("4101");
        assertThat(hostList(directory, "gamma")).isEqualToIgnoringNewLines("no function hosts for tenant gamma");
        assertThat(hostList(new FixedDirectory(List.of()), null)).isEqualToIgnoringNewLines("no function hosts");
    }

    @Test
    void aTenantWhoseHostsAllEndedStillShowsItsCountsAndNoHostRows() throws Exception {
        TenantHostsView gone = new TenantHostsView("acme", 1, 2, 0, 1, 1, List.of());
        String out = hostList(new FixedDirectory(List.of(gone)), null);
        assertThat(cells(out, "acme")).containsExactly("acme", "0", "1", "2", "0", "1", "1");
        assertThat(out).contains("no host running or starting");
    }

    @Test
    void hostileTenantAndFunctionNamesReachTheTerminalEscaped() throws Exception {
        String evil = "evil\u001b[2J\nforged";
        TenantHostsView hostile = new TenantHostsView(evil, 1, 1, 0, 0, 0, List.of(
                host(evil, 0, 6101, State.WARM, Duration.ofSeconds(5), 0, List.of("f\u202eexe.txt"))));
        String out = hostList(new FixedDirectory(List.of(hostile)), null);
        assertThat(out).doesNotContain("\u001b").doesNotContain("\u202e")
                .contains("evil\\u001b[2J\\nforged").contains("f\\u202eexe.txt");
        assertThat(hostList(new FixedDirectory(List.of()), evil)).doesNotContain("\u001b")
                .contains("evil\\u001b[2J\\nforged");
    }

    @Test
    void uptimeShowsTheTwoLargestUnits() {
        assertThat(HostListCommand.uptime(Duration.ofMillis(-5))).isEqualTo("0s");
        assertThat(HostListCommand.uptime(Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(HostListCommand.uptime(Duration.ofSeconds(3_599))).isEqualTo("59m59s");
        assertThat(HostListCommand.uptime(Duration.ofHours(23).plusMinutes(7))).isEqualTo("23h07m");
        assertThat(HostListCommand.uptime(Duration.ofDays(40).plusHours(1))).isEqualTo("40d01h");
    }
}
