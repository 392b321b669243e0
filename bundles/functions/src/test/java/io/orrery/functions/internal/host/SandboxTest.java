package io.orrery.functions.internal.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxTest {

    @Test
    void hidesOnlyTheOutermostDirectoriesThenBindsTheHostsOwnBackIn() {
        Sandbox bwrap = Sandbox.detect(null);
        assertThat(bwrap.on()).as(bwrap.status()).isTrue();

        List<String> args = bwrap.wrap(List.of("java", "-version"),
                List.of(Path.of("/srv/karaf/data/function-hosts"), Path.of("/srv/karaf/data"), Path.of("/srv/karaf/etc")),
                List.of(Path.of("/srv/karaf/data/function-hosts/acme/bundles")),
                List.of(Path.of("/srv/karaf/data/function-hosts/acme/scratch")));

        assertThat(String.join(" ", args)).endsWith("--unshare-all --die-with-parent --new-session --cap-drop ALL"
                + " --tmpfs /srv/karaf/data --tmpfs /srv/karaf/etc"
                + " --ro-bind /srv/karaf/data/function-hosts/acme/bundles /srv/karaf/data/function-hosts/acme/bundles"
                + " --bind /srv/karaf/data/function-hosts/acme/scratch /srv/karaf/data/function-hosts/acme/scratch"
                + " -- java -version");
        assertThat(args.get(0)).endsWith("bwrap");
    }

    @Test
    void withoutBubblewrapTheCommandRunsAsItIsAndTheStatusSaysWhy() {
        Sandbox none = Sandbox.detect(Path.of("/nonexistent/bwrap"));

        assertThat(none.on()).isFalse();
        assertThat(none.status()).startsWith("off: bwrap not found at /nonexistent/bwrap");
        assertThat(none.wrap(List.of("java"), List.of(Path.of("/x")), List.of(), List.of())).containsExactly("java");
    }
}
