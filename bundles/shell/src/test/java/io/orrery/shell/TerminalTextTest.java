package io.orrery.shell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TerminalTextTest {

    @Test
    void plainTextIsUnchanged() {
        String text = "acme encode-video key:1@2=3+4~5 Ünïcödé 東京 emoji \uD83D\uDE80 back\\slash";
        assertThat(TerminalText.escape(text)).isSameAs(text);
        assertThat(TerminalText.isSafe(text)).isTrue();
    }

    @Test
    void ansiSequencesBecomeVisible() {
        assertThat(TerminalText.escape("\u001b[2J\u001b[1;1Hall good\u001b[8m"))
                .isEqualTo("\\u001b[2J\\u001b[1;1Hall good\\u001b[8m");
    }

    @Test
    void operatingSystemCommandsCannotRetitleTheWindowOrWriteTheClipboard() {
        assertThat(TerminalText.escape("\u001b]0;pwned\u0007\u001b]52;c;Y3VybCBldmls\u0007"))
                .isEqualTo("\\u001b]0;pwned\\u0007\\u001b]52;c;Y3VybCBldmls\\u0007");
    }

    @Test
    void lineBreaksCannotForgeTableRowsOrOverwriteALine() {
        assertThat(TerminalText.escape("video-1\n  Status   COMPLETED\rFAILED\tx"))
                .isEqualTo("video-1\\n  Status   COMPLETED\\rFAILED\\tx");
        assertThat(TerminalText.escape("a\u2028b\u2029c\u0085d")).isEqualTo("a\\u2028b\\u2029c\\u0085d");
    }

    @ParameterizedTest
    @ValueSource(chars = {'\u0000', '\u0008', '\u000b', '\u000c', '\u001b', '\u007f', '\u0080', '\u009b', '\u009d',
            '\u009f'})
    void everyC0AndC1ControlIsEscaped(char control) {
        String escaped = TerminalText.escape("x" + control + "y");

        assertThat(escaped).isEqualTo(String.format("x\\u%04xy", (int) control));
        assertThat(TerminalText.isSafe("x" + control)).isFalse();
    }

    @Test
    void theSingleByteControlSequenceIntroducerIsEscaped() {
        // 0x9b is CSI on terminals that take 8-bit controls: "\u009b31m" is "\u001b[31m" there.
        assertThat(TerminalText.escape("\u009b31mred")).isEqualTo("\\u009b31mred");
    }

    @Test
    void bidirectionalOverridesAndInvisibleCharactersAreShown() {
        assertThat(TerminalText.escape("admin\u202Egnp.exe")).isEqualTo("admin\\u202egnp.exe");
        assertThat(TerminalText.escape("ac\u200Bme\u2066\uFEFF")).isEqualTo("ac\\u200bme\\u2066\\ufeff");
    }

    @Test
    void loneSurrogatesAndInvisibleTagCharactersAreEscaped() {
        assertThat(TerminalText.escape("a\uD800b\uDC00")).isEqualTo("a\\ud800b\\udc00");
        // U+E0041, a tag character: invisible, used to smuggle text past a reader.
        assertThat(TerminalText.escape("a\uDB40\uDC41")).isEqualTo("a\\udb40\\udc41");
    }

    @Test
    void nullIsEmptyAndAnyObjectIsItsText() {
        assertThat(TerminalText.escape(null)).isEmpty();
        assertThat(TerminalText.escape(new StringBuilder("q\u001b"))).isEqualTo("q\\u001b");
        assertThat(TerminalText.isSafe(null)).isFalse();
    }
}
