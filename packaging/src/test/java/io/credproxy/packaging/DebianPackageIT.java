package io.credproxy.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package the build made ({@code target/credproxy_VERSION_all.deb}): lintian finds no
 * error in it, and it installs, upgrades, is removed and purged cleanly.
 *
 * <p>Installs go into a temporary root with {@code dpkg --root} and
 * {@code --force-script-chrootless}: the maintainer scripts then run on this machine with
 * {@code DPKG_ROOT} naming the tree, and {@code systemd-sysusers --root} and
 * {@code systemd-tmpfiles --root} work inside it (its own {@code etc/passwd}). The machine's own
 * package database and files are never touched. Dependencies (a JRE, curl) are not in the empty
 * tree, so they are forced. The second version is this package with a bumped version and a changed
 * daemon jar, rebuilt with {@code dpkg-deb}: an upgrade without a second Maven build.
 */
class DebianPackageIT {
    @TempDir
    static Path dir;

    private static Path deb;
    private static String version;

    @BeforeAll
    static void findPackage() throws Exception {
        Path target = Path.of(System.getProperty("credproxy.deb.dir", "target"));
        try (Stream<Path> files = Files.list(target)) {
            deb = files.filter(p -> p.getFileName().toString().matches("credproxy_.*_all\\.deb")).findFirst().orElse(null);
        }
        assertThat(deb).as("the package in %s (mvn package builds it)", target).isNotNull();
        version = run(List.of("dpkg-deb", "--field", deb.toString(), "Version")).output().strip();
    }

    @Test
    void theFileNameAndVersionFollowTheProjectVersion() throws Exception {
        String mavenVersion = System.getProperty("credproxy.project.version", "0.1.0-SNAPSHOT");

        assertThat(version).isEqualTo(mavenVersion.replace('-', '~'));
        assertThat(deb.getFileName().toString()).isEqualTo("credproxy_" + version + "_all.deb");
        // The native changelog names the same version (dpkg and lintian read it).
        Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
        run(List.of("dpkg-deb", "-x", deb.toString(), unpacked.toString()));
        String changelog = run(List.of("zcat", unpacked.resolve("usr/share/doc/credproxy/changelog.gz").toString())).output();
        assertThat(changelog).startsWith("credproxy (" + version + ") ");
    }

    @Test
    void lintianFindsNoErrors() throws Exception {
        assumeTrue(onPath("lintian"), "lintian is not installed (.ci/run installs it)");

        Result lintian = run(List.of("lintian", "--tag-display-limit", "0", deb.toString()));

        assertThat(lintian.output().lines().filter(l -> l.startsWith("E:"))).as(lintian.output()).isEmpty();
        assertThat(lintian.exitCode()).as(lintian.output()).isZero();
    }

    @Test
    void installsUpgradesRemovesAndPurgesCleanly() throws Exception {
        assumeTrue(isRoot(), "dpkg --root with maintainer scripts needs root");
        Path root = emptyDpkgRoot(dir.resolve("root"));

        Result install = dpkg(root, "-i", deb.toString());

        assertThat(install.exitCode()).as(install.output()).isZero();
        assertThat(install.output()).contains("put the real secrets into /etc/openclaw-secrets/env");
        assertThat(root.resolve("usr/share/credproxy/credproxy-daemon.jar")).isRegularFile();
        assertThat(root.resolve("usr/share/credproxy/credproxy-agent.jar")).isRegularFile();
        assertThat(mode(root, "usr/bin/credproxy")).isEqualTo("755");
        assertThat(root.resolve("usr/bin/credproxy")).content().contains("-jar /usr/share/credproxy/credproxy-daemon.jar");
        assertThat(root.resolve("lib/systemd/system/credproxy.service")).content()
                .contains("-jar /usr/share/credproxy/credproxy-daemon.jar daemon").doesNotContain("/opt/credproxy");
        assertThat(root.resolve("lib/systemd/system/credproxy-fence.service")).isRegularFile();
        assertThat(root.resolve("etc/credproxy/sandbox-user.env")).content()
                .contains("-javaagent:/usr/share/credproxy/credproxy-agent.jar").doesNotContain("/opt/credproxy");
        // The service user, created by systemd-sysusers in the tree; owners and modes by systemd-tmpfiles.
        String uid = Files.readAllLines(root.resolve("etc/passwd")).stream().filter(l -> l.startsWith("openclaw-secrets:"))
                .findFirst().orElseThrow().split(":")[2];
        assertThat(owner(root, "etc/credproxy/ca")).isEqualTo(uid + ":" + uid);
        assertThat(mode(root, "etc/credproxy/ca")).isEqualTo("700");
        assertThat(owner(root, "etc/openclaw-secrets/env")).isEqualTo(uid + ":" + uid);
        assertThat(mode(root, "etc/openclaw-secrets/env")).isEqualTo("600");
        assertThat(mode(root, "etc/openclaw-secrets")).isEqualTo("750");
        assertThat(query(root, "${Conffiles}")).contains("/etc/credproxy/credproxy.yaml", "/etc/credproxy/sandbox-user.env");
        assertThat(query(root, "${Status}")).isEqualTo("install ok installed");
        Result packaged = run(List.of(javaBinary(), "-jar", root.resolve("usr/share/credproxy/credproxy-daemon.jar").toString(), "--version"));
        assertThat(packaged.output().strip()).startsWith("credproxy " + System.getProperty("credproxy.project.version", "0.1.0-SNAPSHOT") + " (commit ");

        // The operator's edits: a config change and real secrets. An upgrade must keep both.
        String canary = "CANARY_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Files.writeString(root.resolve("etc/openclaw-secrets/env"), "TELEGRAM_BOT_TOKEN=" + canary + "\n");
        Files.writeString(root.resolve("etc/credproxy/credproxy.yaml"), "# edited by the operator\n", java.nio.file.StandardOpenOption.APPEND);
        Path newer = secondVersion(version + "+upgrade1");

        Result upgrade = dpkg(root, "--force-confold", "-i", newer.toString());

        assertThat(upgrade.exitCode()).as(upgrade.output()).isZero();
        assertThat(query(root, "${Version}")).isEqualTo(version + "+upgrade1");
        assertThat(root.resolve("usr/share/credproxy/credproxy-daemon.jar")).content().isEqualTo("the upgraded daemon jar");
        assertThat(root.resolve("etc/openclaw-secrets/env")).hasContent("TELEGRAM_BOT_TOKEN=" + canary);
        assertThat(mode(root, "etc/openclaw-secrets/env")).isEqualTo("600");
        assertThat(root.resolve("etc/credproxy/credproxy.yaml")).content().endsWith("# edited by the operator\n");
        assertThat(install.output() + upgrade.output()).doesNotContain(canary);

        Result remove = dpkg(root, "-r", "credproxy");

        assertThat(remove.exitCode()).as(remove.output()).isZero();
        assertThat(root.resolve("usr/share/credproxy/credproxy-daemon.jar")).doesNotExist();
        assertThat(root.resolve("usr/bin/credproxy")).doesNotExist();
        assertThat(root.resolve("etc/credproxy/credproxy.yaml")).as("conffiles stay until purge").exists();
        assertThat(query(root, "${Status}")).isEqualTo("deinstall ok config-files");

        Result purge = dpkg(root, "-P", "credproxy");

        assertThat(purge.exitCode()).as(purge.output()).isZero();
        assertThat(root.resolve("etc/credproxy")).doesNotExist();
        assertThat(root.resolve("etc/openclaw-secrets")).doesNotExist();
        assertThat(root.resolve("usr/share/credproxy")).doesNotExist();
        assertThat(run(List.of("dpkg", "--root=" + root, "--audit")).output()).isEmpty();
        assertThat(remove.output() + purge.output()).doesNotContain(canary);
    }

    /** A tree dpkg accepts as a root: its admin directory with an empty status file. */
    private static Path emptyDpkgRoot(Path root) throws IOException {
        Path admin = Files.createDirectories(root.resolve("var/lib/dpkg"));
        for (String d : List.of("info", "updates", "triggers")) {
            Files.createDirectories(admin.resolve(d));
        }
        Files.writeString(admin.resolve("status"), "");
        Files.writeString(admin.resolve("available"), "");
        return root;
    }

    /** This package with another version and daemon jar, rebuilt by dpkg-deb. */
    private static Path secondVersion(String newVersion) throws Exception {
        Path tree = dir.resolve("v2");
        run(List.of("dpkg-deb", "-R", deb.toString(), tree.toString()));
        Path control = tree.resolve("DEBIAN/control");
        Files.writeString(control, Files.readString(control).replace("Version: " + version + "\n", "Version: " + newVersion + "\n"));
        Files.writeString(tree.resolve("usr/share/credproxy/credproxy-daemon.jar"), "the upgraded daemon jar");
        Path md5sums = tree.resolve("DEBIAN/md5sums");
        String jarSum = run(List.of("md5sum", "usr/share/credproxy/credproxy-daemon.jar"), tree).output();
        List<String> sums = new ArrayList<>();
        for (String line : Files.readAllLines(md5sums)) {
            sums.add(line.endsWith("usr/share/credproxy/credproxy-daemon.jar") ? jarSum.strip() : line);
        }
        Files.write(md5sums, sums);
        Path out = dir.resolve("credproxy_" + newVersion + "_all.deb");
        Result built = run(List.of("dpkg-deb", "--root-owner-group", "-b", tree.toString(), out.toString()));
        assertThat(built.exitCode()).as(built.output()).isZero();
        return out;
    }

    private static Result dpkg(Path root, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("dpkg", "--root=" + root, "--force-script-chrootless", "--force-depends"));
        command.addAll(List.of(args));
        return run(command);
    }

    private static String query(Path root, String format) throws Exception {
        return run(List.of("dpkg-query", "--admindir=" + root.resolve("var/lib/dpkg"), "-W", "-f=" + format, "credproxy")).output().strip();
    }

    record Result(int exitCode, String output) {}

    private static Result run(List<String> command) throws Exception {
        return run(command, null);
    }

    private static Result run(List<String> command, Path cwd) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (cwd != null) {
            builder.directory(cwd.toFile());
        }
        // No terminal: dpkg must never stop to ask about a conffile.
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = builder.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(p.exitValue(), out);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String mode(Path root, String relative) throws IOException {
        int mode = (Integer) Files.getAttribute(root.resolve(relative), "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return Integer.toOctalString(mode & 07777);
    }

    private static String owner(Path root, String relative) throws IOException {
        Path p = root.resolve(relative);
        return Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":" + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS)) == 0;
    }
}
