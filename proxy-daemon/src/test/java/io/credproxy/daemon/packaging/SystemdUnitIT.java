package io.credproxy.daemon.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds the service unit to its hardening target with systemd's own analyzer.
 *
 * <p>{@code systemd-analyze security --offline=yes} rates a unit file without a running systemd, so
 * this works in a container. The target is an exposure of {@value #TARGET} or lower; the seed's unit
 * is rated too, to prove the score is parsed and the check can fail.
 */
class SystemdUnitIT {
    static final double TARGET = 2.0;
    private static final Pattern OVERALL = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+) ");

    private static Path analyze;

    @BeforeAll
    static void findAnalyzer() {
        analyze = Commands.onPath("systemd-analyze").orElse(null);
        assumeTrue(analyze != null,
                "systemd-analyze is not installed (Debian package 'systemd'; .ci/run installs it): unit checks skipped");
    }

    @Test
    void exposureScoreMeetsTheTarget() throws Exception {
        Path unit = PackagingFiles.file("systemd/credproxy.service");

        double score = exposure(unit);

        assertThat(score).as("exposure of %s (target %s)", unit, TARGET).isLessThanOrEqualTo(TARGET);
        // The analyzer's own gate agrees: --threshold is the score times ten.
        Commands.Result gated = Commands.run(List.of(analyze.toString(), "security", "--offline=yes",
                "--threshold=" + (int) Math.round(TARGET * 10), unit.toString()));
        assertThat(gated.exitCode()).as(gated.output()).isZero();
    }

    @Test
    void theSeedsUnitFailsTheSameCheck(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("openclaw-proxy.service");
        Files.writeString(seed, String.join("\n",
                "[Unit]", "Description=seed unit", "After=network.target", "",
                "[Service]", "User=openclaw-secrets", "Group=openclaw-secrets",
                "ExecStart=/bin/true", "Restart=on-failure", "NoNewPrivileges=yes", "ProtectHome=yes", "",
                "[Install]", "WantedBy=multi-user.target", ""));

        assertThat(exposure(seed)).isGreaterThan(TARGET);
    }

    @Test
    void unitVerifies() throws Exception {
        Path unit = PackagingFiles.file("systemd/credproxy.service");

        Commands.Result verify = Commands.run(List.of(analyze.toString(), "verify", unit.toString()));

        assertThat(verify.exitCode()).as(verify.output()).isZero();
        // verify also reports on other units it loads; anything about ours is a defect.
        assertThat(verify.output()).doesNotContain("credproxy.service");
    }

    @Test
    void fenceUnitVerifies() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")), "nftables is not installed: verify needs /usr/sbin/nft");
        Path unit = PackagingFiles.file("systemd/credproxy-fence.service");

        Commands.Result verify = Commands.run(List.of(analyze.toString(), "verify", unit.toString()));

        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output()).doesNotContain("credproxy-fence.service");
    }

    private static double exposure(Path unit) throws Exception {
        Commands.Result result = Commands.run(List.of(analyze.toString(), "security", "--offline=yes", unit.toString()));
        Matcher m = OVERALL.matcher(result.output());
        assertThat(m.find()).as("overall exposure line in:%n%s", result.output()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
