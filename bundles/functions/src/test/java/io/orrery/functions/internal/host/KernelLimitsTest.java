package io.orrery.functions.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KernelLimitsTest {

    @Test
    void prlimitSetsOpenFilesFileSizeAndNoCoreDumpsHardAndSoftAroundTheCommand() {
        KernelLimits limits = KernelLimits.detect();
        assertThat(limits.on()).as(limits.status()).isTrue();

        List<String> args = limits.wrap(new HostLimits(256, 32, 512, 8L << 20), List.of("bwrap", "--", "java"));

        assertThat(args.get(0)).endsWith("prlimit");
        assertThat(args.subList(1, args.size())).containsExactly("--nofile=512:512", "--fsize=8388608:8388608",
                "--core=0:0", "--", "bwrap", "--", "java");
        assertThat(limits.status()).isEqualTo("kernel limits by prlimit");
    }

    @Test
    void withoutPrlimitTheCommandRunsAsItIsAndTheStatusSaysWhy() {
        KernelLimits off = KernelLimits.off("prlimit not found on the PATH; install util-linux");

        assertThat(off.wrap(HostLimits.DEFAULTS, List.of("java"))).containsExactly("java");
        assertThat(off.status()).isEqualTo("no kernel limits: prlimit not found on the PATH; install util-linux");
    }

    @Test
    void limitsSoLowThatNoHostCouldStartAreRefused() {
        assertThatThrownBy(() -> new HostLimits(8, 32, 1024, 1L << 30)).hasMessageContaining("maxThreads");
        assertThatThrownBy(() -> new HostLimits(256, 32, 16, 1L << 30)).hasMessageContaining("maxOpenFiles");
    }
}
