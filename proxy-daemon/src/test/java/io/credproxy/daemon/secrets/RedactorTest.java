package io.credproxy.daemon.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {
    private final Redactor redactor = new Redactor(new Secrets("test", Map.of("TOKEN", "abc/def+ghi", "SHORT", "ab")));

    @Test
    void replacesRawUrlEncodedAndBase64Values() {
        String b64 = Base64.getEncoder().encodeToString("abc/def+ghi".getBytes());
        String out = redactor.redact("raw abc/def+ghi url abc%2Fdef%2Bghi b64 " + b64);
        assertThat(out).isEqualTo("raw [redacted:TOKEN] url [redacted:TOKEN] b64 [redacted:TOKEN]");
    }

    @Test
    void leavesShortValuesAndOtherTextAlone() {
        assertThat(redactor.redact("about ab")).isEqualTo("about ab");
        assertThat(redactor.redact(null)).isNull();
    }
}
