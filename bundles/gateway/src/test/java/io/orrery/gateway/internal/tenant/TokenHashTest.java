package io.orrery.gateway.internal.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenHashTest {

    @Test
    void hashesAreSha256InHex() {
        assertThat(TokenHash.of("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(TokenHash.matches(TokenHash.of("abc"), TokenHash.of("abc"))).isTrue();
        assertThat(TokenHash.matches(TokenHash.of("abc"), TokenHash.of("abd"))).isFalse();
    }

    @Test
    void acceptsTheConfiguredHashInTheFormsPeopleCopy() {
        String hex = TokenHash.of("t");
        assertThat(TokenHash.parseConfigured("sha256:" + hex)).isEqualTo(hex);
        assertThat(TokenHash.parseConfigured(hex.toUpperCase())).isEqualTo(hex);
        assertThat(TokenHash.parseConfigured(hex + "  -")).isEqualTo(hex);
        assertThat(TokenHash.parseConfigured(" ")).isNull();
        assertThatThrownBy(() -> TokenHash.parseConfigured("sha256:beef")).hasMessageContaining("adminTokenHash");
    }

    @Test
    void mintsDistinctUrlSafeTokensOf256Bits() {
        TokenMint mint = new TokenMint();
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = mint.newToken();
            assertThat(token).matches("orr_[A-Za-z0-9_-]{43}");
            tokens.add(token);
        }
        assertThat(tokens).hasSize(1000);
    }
}
