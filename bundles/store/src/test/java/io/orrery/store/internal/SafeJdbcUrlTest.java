package io.orrery.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeJdbcUrlTest {

    @Test
    void masksPasswordParametersOfPostgresAndH2Urls() {
        assertThat(SafeJdbcUrl.of("jdbc:postgresql://db:5432/orrery?user=orrery&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/orrery?user=orrery&password=***&ssl=true");
        assertThat(SafeJdbcUrl.of("jdbc:postgresql://db/orrery?sslpassword=k3y"))
                .isEqualTo("jdbc:postgresql://db/orrery?sslpassword=***");
        assertThat(SafeJdbcUrl.of("jdbc:h2:file:/data/store;USER=sa;PASSWORD=s3cret;MODE=PostgreSQL"))
                .isEqualTo("jdbc:h2:file:/data/store;USER=sa;PASSWORD=***;MODE=PostgreSQL");
    }

    @Test
    void leavesUrlsWithoutSecretsAlone() {
        assertThat(SafeJdbcUrl.of("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1")).isEqualTo("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1");
    }
}
