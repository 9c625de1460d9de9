package io.credproxy.daemon.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The path a scoped rule matches: decoded once, dot segments removed, every ambiguous spelling refused. */
class RequestPathTest {
    @ParameterizedTest(name = "{0} -> {1} (forwarded as {2})")
    @CsvSource(delimiter = ' ', value = {
            "/client/v4/accounts/a1/d1/query /client/v4/accounts/a1/d1/query /client/v4/accounts/a1/d1/query",
            "/ / /",
            "/a/b/ /a/b/ /a/b/",
            "/client/v4/../admin /client/admin /client/admin",
            "/client/v4/%2e%2e/admin /client/admin /client/admin",
            "/client/v4/%2E%2e/admin /client/admin /client/admin",
            "/client/v4/.%2E/admin /client/admin /client/admin",
            "/a/./b /a/b /a/b",
            "/a/%2e/b /a/b /a/b",
            "/a/b/. /a/b/ /a/b/",
            "/a/b/.. /a/ /a/",
            "/a/b/%2e%2e /a/ /a/",
            "/.. / /",
            "/../../etc/passwd /etc/passwd /etc/passwd",
            "/a/%41b /a/Ab /a/%41b",
            "/a/b%2Bc /a/b+c /a/b%2Bc",
            "/files/my%20file /files/my+file /files/my%20file",
            "/caf%C3%A9 /café /caf%C3%A9",
            "/a/100%25 /a/100% /a/100%25",
            "/a/%25zz /a/%zz /a/%25zz",
            "/a/b:c@d /a/b:c@d /a/b:c@d",
    })
    void decodesOnceAndRemovesDotSegments(String raw, String decoded, String forwarded) {
        RequestPath path = RequestPath.of(raw);
        assertThat(path.decoded()).isEqualTo(decoded.replace("my+file", "my file"));
        assertThat(path.raw()).isEqualTo(forwarded);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "/client/v4/accounts/a/d1/..%2f..%2fadmin",  // encoded slash: segments would change
            "/a%2Fb",
            "/a%5cb",                                      // encoded backslash
            "/a\\b",                                       // backslash (some servers: a separator)
            "/a/..;/admin",                                // Tomcat path parameters
            "/a;jsessionid=1/b",
            "/a/%252e%252e/admin",                         // double encoding: refused, never decoded twice
            "/a/%25%32%65",                                // the same, every byte encoded
            "/a/%00/b",                                    // NUL
            "/a/%0d%0aX:1",                                // CR LF
            "/a/%7f",
            "/a/%c0%ae%c0%ae/admin",                      // overlong UTF-8 for '.'
            "/a/%e0%80%ae",                               // overlong, three bytes
            "/a/%ff",                                     // not UTF-8
            "/a/%e9t%e9",                                 // Latin-1
            "/a/%2",                                      // truncated escape
            "/a/%zz",
            "/a//b",                                      // empty segment
            "//admin",
            "/a/.../b",                                   // dot-only segment (Windows trims dots)
            "/a/%2e%2e%2e",
            "/a/..%20",
            "/a b",                                       // raw space
            "/a\tb",
            "/caf\u00e9",                                 // raw non-ASCII
            "*",                                          // asterisk-form
            "relative/path",
            "",
    })
    void refusesWhatServersMightReadDifferently(String raw) {
        assertThatThrownBy(() -> RequestPath.of(raw)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("admin"));
    }

    @ParameterizedTest
    @CsvSource({"/a/b/c,3", "/a/b/,3", "/,1"})
    void segmentsKeepATrailingSlashAsAnEmptyLastSegment(String raw, int segments) {
        assertThat(RequestPath.of(raw).segments()).hasSize(segments);
    }
}
