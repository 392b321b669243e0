package io.orrery.functions.internal.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

    @Test
    void aLineLongerThanTheLimitIsCutAndFlaggedAndTheNextLineIsWhole() throws Exception {
        var lines = new BoundedLineReader(new StringReader("short\n" + "x".repeat(100) + "\nnext\nlast"), 10);

        assertThat(lines.readLine()).isEqualTo("short");
        assertThat(lines.truncated()).isFalse();
        assertThat(lines.readLine()).isEqualTo("x".repeat(10));
        assertThat(lines.truncated()).isTrue();
        assertThat(lines.readLine()).isEqualTo("next");
        assertThat(lines.truncated()).isFalse();
        assertThat(lines.readLine()).isEqualTo("last");
        assertThat(lines.readLine()).isNull();
    }
}
