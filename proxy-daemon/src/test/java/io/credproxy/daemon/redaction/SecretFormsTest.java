package io.credproxy.daemon.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.credproxy.testing.Canaries;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each test encodes a text holding the secret with an independent encoder (the JDK, Jackson, by
 * hand as a given library does), redacts it, then decodes what the client would get and looks for
 * the secret: it must be gone. Nothing here reuses SecretForms' own encoders.
 */
class SecretFormsTest {

    static List<String> secrets() {
        return List.of(Canaries.value("api_token"), "Ab3/x+y=z?&k=v#frag%20~!*'()", "p@ss wörd \"quoted\" <tag> & 'apos' \\ 日本 \uD83D\uDE00 end",
                "tab\there\nnewline\u0001ctl/slash", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~");
    }

    private static String redact(String secret, String text) {
        return RedactionPatterns.of(List.of(secret)).redactLatin1(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }

    private static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @MethodSource("secrets")
    void raw(String secret) {
        assertThat(utf8(redact(secret, "before " + secret + " after"))).isEqualTo("before " + RedactionPatterns.MARKER + " after");
    }

    @ParameterizedTest
    @MethodSource("secrets")
    void percentEncodedByTheJdkAndByHandInBothCasesAndSpaceForms(String secret) {
        List<String> encoded = new ArrayList<>();
        String form = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        encoded.add(form);
        encoded.add(form.toLowerCase(Locale.ROOT).equals(form) ? form : lowerHex(form));
        encoded.add(form.replace("+", "%20"));
        encoded.add(strict3986(secret));
        encoded.add(lowerHex(strict3986(secret)));
        encoded.add(mixedHex(strict3986(secret)));
        for (String e : encoded) {
            String out = redact(secret, "https://x.example/cb?token=" + e + "&next=1");
            assertThat(URLDecoder.decode(utf8(out), StandardCharsets.UTF_8)).as(e).doesNotContain(secret);
            assertThat(out).contains(RedactionPatterns.MARKER);
        }
    }

    @ParameterizedTest
    @MethodSource("secrets")
    void base64AndBase64UrlAtEveryOffsetInsideALongerBlobWithAndWithoutPadding(String secret) {
        byte[] s = secret.getBytes(StandardCharsets.UTF_8);
        for (String prefix : new String[] {"", "u", "us", "use", "user:", "Bearer x:", "%%%%%%%%%%"}) {
            for (String suffix : new String[] {"", "!", "!?", "!?#", ":tail-of-text"}) {
                byte[] plain = (prefix + secret + suffix).getBytes(StandardCharsets.UTF_8);
                for (Base64.Encoder enc : new Base64.Encoder[] {Base64.getEncoder(), Base64.getEncoder().withoutPadding(),
                        Base64.getUrlEncoder(), Base64.getUrlEncoder().withoutPadding()}) {
                    String out = redact(secret, "{\"blob\":\"" + enc.encodeToString(plain) + "\"}");
                    assertThat(out).contains(RedactionPatterns.MARKER);
                    assertNoBase64Leak(out, s);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("secrets")
    void jsonEscapedByJacksonWithAndWithoutNonAsciiEscaping(String secret) throws Exception {
        for (JsonMapper mapper : new JsonMapper[] {JsonMapper.builder().build(),
                JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build(),
                JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES).build(),
                JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII, JsonWriteFeature.ESCAPE_FORWARD_SLASHES).build()}) {
            String json = mapper.writeValueAsString(java.util.Map.of("echo", "x" + secret + "y"));
            String out = utf8(redact(secret, json));
            assertThat(mapper.readTree(out).get("echo").asText()).doesNotContain(secret).contains(RedactionPatterns.MARKER);
        }
    }

    @ParameterizedTest
    @MethodSource("secrets")
    void jsonEscapedTheWayGoAndPhpDo(String secret) throws Exception {
        // Go's encoding/json: <, >, & as \\u003c etc.; PHP's json_encode: \\/ and non-ASCII as \\uXXXX, upper-case hex.
        StringBuilder go = new StringBuilder();
        StringBuilder php = new StringBuilder();
        for (char c : secret.toCharArray()) {
            go.append(c == '<' || c == '>' || c == '&' ? String.format("\\u%04x", (int) c) : jsonBasic(c));
            php.append(c == '/' ? "\\/" : c >= 0x80 ? String.format("\\u%04X", (int) c) : jsonBasic(c));
        }
        JsonMapper mapper = JsonMapper.builder().build();
        for (String encoded : new String[] {go.toString(), php.toString()}) {
            String out = utf8(redact(secret, "{\"echo\":\"" + encoded + "\"}"));
            assertThat(mapper.readTree(out).get("echo").asText()).doesNotContain(secret);
        }
    }

    @ParameterizedTest
    @MethodSource("secrets")
    void htmlEscapedAsErrorPagesDo(String secret) {
        for (String[] style : new String[][] {{"&quot;", "&#39;"}, {"&#34;", "&#x27;"}, {"&quot;", "'"}, {"&quot;", "&apos;"}}) {
            String html = secret.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    .replace("\"", style[0]).replace("'", style[1]);
            String out = utf8(redact(secret, "<p>bad token: " + html + "</p>"));
            String decoded = out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#34;", "\"")
                    .replace("&#39;", "'").replace("&#x27;", "'").replace("&apos;", "'").replace("&amp;", "&");
            assertThat(decoded).doesNotContain(secret).contains(RedactionPatterns.MARKER);
        }
    }

    @org.junit.jupiter.api.Test
    void shortValuesAreSkippedAndFormsAreDeduplicated() {
        assertThat(SecretForms.of("abc")).isEmpty();
        assertThat(SecretForms.of(null)).isEmpty();
        assertThat(RedactionPatterns.of(List.of("abc", "")).isEmpty()).isTrue();
        // A plain token collapses to the raw value, the all-bytes percent form and its Base64 runs.
        assertThat(SecretForms.of("abcdefghijkl")).hasSizeLessThanOrEqualTo(8);
    }

    private static String jsonBasic(char c) {
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            default -> c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c);
        };
    }

    private static String strict3986(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 0x80 || "-._~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append(String.format("%%%02X", c));
            }
        }
        return sb.toString();
    }

    private static String lowerHex(String percent) {
        return java.util.regex.Pattern.compile("%[0-9A-F]{2}").matcher(percent).replaceAll(m -> m.group().toLowerCase(Locale.ROOT));
    }

    private static String mixedHex(String percent) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < percent.length(); i++) {
            char c = percent.charAt(i);
            sb.append(i % 2 == 0 ? Character.toLowerCase(c) : c);
        }
        return sb.toString();
    }

    /** Decodes every base64/base64url run of the output at every alignment; no 3 consecutive secret bytes may come out. */
    private static void assertNoBase64Leak(String out, byte[] secret) {
        for (String run : out.split("[^A-Za-z0-9+/_=-]+")) {
            String normal = run.replace('-', '+').replace('_', '/').replace("=", "");
            for (int shift = 0; shift < 4; shift++) {
                if (normal.length() - shift < 4) {
                    continue;
                }
                String part = normal.substring(shift, shift + (normal.length() - shift) / 4 * 4);
                byte[] decoded = Base64.getDecoder().decode(part);
                for (int i = 0; i + 3 <= secret.length; i++) {
                    assertThat(indexOf(decoded, secret, i, 3)).as("3 secret bytes from %d decode out of '%s'", i, run).isFalse();
                }
            }
        }
    }

    private static boolean indexOf(byte[] hay, byte[] needle, int from, int len) {
        outer:
        for (int i = 0; i + len <= hay.length; i++) {
            for (int k = 0; k < len; k++) {
                if (hay[i + k] != needle[from + k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
