package io.credproxy.daemon.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathGlobTest {
    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
            "/client/v4/accounts/*/d1/**, /client/v4/accounts/abc/d1/database/x/query, true",
            "/client/v4/accounts/*/d1/**, /client/v4/accounts/abc/d1, true",
            "/client/v4/accounts/*/d1/**, /client/v4/accounts/abc/d1/, true",
            "/client/v4/accounts/*/d1/**, /client/v4/accounts/d1/x, false",
            "/client/v4/accounts/*/d1/**, /client/v4/accounts/a/b/d1/x, false",
            "/client/v4/accounts/*/d1/**, /client/v4/accounts/abc/workers/x, false",
            "/client/v4/accounts/*/d1/**, /Client/v4/accounts/abc/d1/x, false",
            "/a/*, /a/b, true",
            "/a/*, /a/, false",
            "/a/*, /a, false",
            "/a/*, /a/b/c, false",
            "/**, /, true",
            "/**, /anything/at/all, true",
            "/, /, true",
            "/, /a, false",
            "/bot*/getMe, /botproxy-managed/getMe, true",
            "/bot*/getMe, /bot/getMe, true",
            "/bot*/getMe, /bo/getMe, false",
            "/v*/x*y, /v4/xabcy, true",
            "/v*/x*y, /v4/xabc, false",
            "/a/**/z, /a/z, true",
            "/a/**/z, /a/b/c/z, true",
            "/a/**/z, /a/b/c/zz, false",
            "/a/**/b/**/c, /a/x/b/y/b/z/c, true",
            "/a/b/, /a/b/, true",
            "/a/b/, /a/b, false",
    })
    void matchesSegmentBySegment(String pattern, String path, boolean matches) {
        assertThat(PathGlob.parse(pattern).matches(RequestPath.of(path))).isEqualTo(matches);
    }

    @Test
    void manyDoubleStarsStayLinearInsteadOfBacktrackingForever() {
        PathGlob glob = PathGlob.parse("/**/a/**/a/**/a/**/a/**/a/**/b");
        List<String> segments = new ArrayList<>(Collections.nCopies(2000, "a"));
        long start = System.nanoTime();
        assertThat(glob.matches(segments)).isFalse();
        assertThat(System.nanoTime() - start).as("a backtracking matcher takes minutes here").isLessThan(2_000_000_000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"relative", "/a/%2e/b", "/a;b", "/a\\b", "/a/../b", "/a/./b", "/a//b", "/a/b**", "/**x/y", "/a\tb"})
    void refusesPatternsNoNormalisedPathCouldMatch(String pattern) {
        assertThatThrownBy(() -> PathGlob.parse(pattern)).isInstanceOf(IllegalArgumentException.class);
    }
}
