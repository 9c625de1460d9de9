package io.credproxy.daemon.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogTextTest {
    @Test
    void everyC0ControlDelAndC1ControlBecomesAVisibleEscape() {
        assertThat(LogText.escape("a\u001b[31mb\u0007c\rd\ne\u0000f\u007fg\tz")).isEqualTo("a\\x1b[31mb\\x07c\\x0dd\\x0ae\\x00f\\x7fg\\x09z");
        assertThat(LogText.escape("\u0085\u009b2J")).isEqualTo("\\x85\\x9b2J");
        for (char c = 0; c < 0x20; c++) {
            assertThat(LogText.escape(String.valueOf(c))).hasSize(4).startsWith("\\x");
        }
        for (char c = 0x7f; c <= 0x9f; c++) {
            assertThat(LogText.escape(String.valueOf(c))).hasSize(4).startsWith("\\x");
        }
    }

    @Test
    void invisibleAndReorderingCharactersAreEscapedLettersAreNot() {
        assertThat(LogText.escape("evil\u202egnp.exe")).isEqualTo("evil\\u202egnp.exe");
        assertThat(LogText.escape("zero\u200bwidth\ufeffbom\u2028line\u2029para")).isEqualTo("zero\\u200bwidth\\ufeffbom\\u2028line\\u2029para");
        assertThat(LogText.escape("café Ünïcödé 東京 \uD83D\uDE00")).isEqualTo("café Ünïcödé 東京 \uD83D\uDE00");
    }

    @Test
    void invalidUtf8IsEscapedWhicheverWayItWasDecoded() {
        byte[] bytes = {'a', (byte) 0xc3, (byte) 0x28, (byte) 0x80, (byte) 0x9b, 'z'};
        // As Netty reads a request line (a byte a char): C1 bytes escaped, Latin-1 letters kept.
        assertThat(LogText.escape(new String(bytes, StandardCharsets.ISO_8859_1))).isEqualTo("a\u00c3(\\x80\\x9bz");
        // As UTF-8 with replacement characters: nothing invisible left.
        assertThat(LogText.escape(new String(bytes, StandardCharsets.UTF_8))).isEqualTo("a\ufffd(\ufffd\ufffdz");
        // A lone surrogate half (invalid UTF-16) is escaped; a pair is kept.
        assertThat(LogText.escape("x\ud800y\udc00z")).isEqualTo("x\\ud800y\\udc00z");
    }

    @Test
    void plainTextAndACanaryPassUntouchedAndEscapingTwiceChangesNothing() {
        String canary = "canary-cloudflare-d1-api-token-0123456789abcdef";
        assertThat(LogText.escape(canary)).isSameAs(canary);
        String once = LogText.escape("a\u001bb\\x1b\u202e");
        assertThat(LogText.escape(once)).isEqualTo(once);
        assertThat(LogText.escape(null)).isNull();
    }
}
