package io.credproxy.daemon.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequestTargetTest {
    @Test
    void absoluteFormSplitsIntoSchemeAuthorityAndPath() {
        RequestTarget t = RequestTarget.parse("HTTP://Example.com:8080/a/b?c=[1]|2#frag");

        assertThat(t.scheme()).isEqualTo("http");
        assertThat(t.authority()).isEqualTo("Example.com:8080");
        assertThat(t.pathAndQuery()).isEqualTo("/a/b?c=[1]|2");
        assertThat(t.path()).isEqualTo("/a/b");
    }

    @Test
    void anEmptyPathBecomesSlash() {
        assertThat(RequestTarget.parse("http://example.com").pathAndQuery()).isEqualTo("/");
        assertThat(RequestTarget.parse("http://example.com?x=1").pathAndQuery()).isEqualTo("/?x=1");
    }

    @Test
    void originFormAndAsteriskAreKeptAsSent() {
        assertThat(RequestTarget.parse("/x%2Fy?z").isAbsolute()).isFalse();
        assertThat(RequestTarget.parse("/x%2Fy?z").pathAndQuery()).isEqualTo("/x%2Fy?z");
        assertThat(RequestTarget.parse("*").pathAndQuery()).isEqualTo("*");
    }

    @Test
    void userInfoAndNonsenseAreRefused() {
        assertThatThrownBy(() -> RequestTarget.parse("http://user:pw@example.com/")).hasMessageContaining("user info");
        assertThatThrownBy(() -> RequestTarget.parse("example.com:443")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequestTarget.parse("http:///x")).hasMessageContaining("no host");
    }
}
