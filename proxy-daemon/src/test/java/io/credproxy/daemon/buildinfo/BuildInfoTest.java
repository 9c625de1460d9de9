package io.credproxy.daemon.buildinfo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuildInfoTest {
    @Test
    void theBuildRecordedTheProjectVersionAndACommit() {
        BuildInfo info = BuildInfo.current();

        assertThat(info.version()).isNotEqualTo(BuildInfo.UNKNOWN).doesNotContain("${");
        // Tests run from a git checkout (CI clones one): the build must have found the commit.
        assertThat(info.commit()).matches("[0-9a-f]{12}");
    }

    @Test
    void theVersionLineNamesVersionCommitAndState() {
        assertThat(new BuildInfo("0.2.0", "0123456789ab", "2026-01-01T10:00:00Z", false).versionLine())
                .isEqualTo("credproxy 0.2.0 (commit 0123456789ab, 2026-01-01T10:00:00Z)");
        assertThat(new BuildInfo("0.2.0", "0123456789ab", BuildInfo.UNKNOWN, true).versionLine())
                .isEqualTo("credproxy 0.2.0 (commit 0123456789ab-dirty)");
        assertThat(new BuildInfo("0.2.0", BuildInfo.UNKNOWN, BuildInfo.UNKNOWN, false).versionLine())
                .isEqualTo("credproxy 0.2.0 (commit unknown)");
    }
}
