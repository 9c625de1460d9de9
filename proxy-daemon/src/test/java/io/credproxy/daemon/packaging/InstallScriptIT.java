package io.credproxy.daemon.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code packaging/install.sh --root} into temporary trees: files, modes, owners, idempotence,
 * the never-overwritten secrets file and {@code --dry-run}.
 *
 * <p>Nothing here writes to the real {@code /etc} or {@code /opt}. Owners are tested two ways, both as
 * root: with the service user made known to the script through a private mount namespace (temporary
 * copies of passwd and group bind-mounted over the real ones, visible to that one process only), and
 * through the sysusers.d/tmpfiles.d records the script leaves for a target machine, applied to the
 * temporary root by systemd's own tools.
 */
class InstallScriptIT {
    private static final int TEST_UID = 64123;

    @TempDir
    Path tmp;
    private Path root;
    private Path daemonJar;
    private Path agentJar;

    @BeforeEach
    void fakeJars() throws IOException {
        root = tmp.resolve("root");
        daemonJar = Files.writeString(tmp.resolve("credproxy-daemon.jar"), "daemon jar stand-in");
        agentJar = Files.writeString(tmp.resolve("credproxy-agent.jar"), "agent jar stand-in");
    }

    @Test
    void installsFilesWithTheirModesAndASecondRunChangesNothing() throws Exception {
        Commands.Result first = install("--root", root.toString());
        assertThat(first.exitCode()).as(first.output()).isZero();
        Map<String, String> afterFirst = snapshot(root);

        for (DocumentedPath documented : documentedInstallation()) {
            assertThat(mode(documented.relative())).as("mode of %s (docs/DEPLOY.md)", documented.path()).isEqualTo(documented.mode());
        }
        assertThat(mode("opt/credproxy/credproxy-daemon.jar")).isEqualTo("644");
        assertThat(mode("opt/credproxy/credproxy-agent.jar")).isEqualTo("644");
        assertThat(mode("etc/credproxy")).isEqualTo("755");
        assertThat(mode("etc/credproxy/credproxy.yaml")).isEqualTo("644");
        assertThat(mode("etc/credproxy/sandbox-user.env")).isEqualTo("644");
        assertThat(mode("etc/credproxy/ca")).isEqualTo("700");
        assertThat(mode("etc/openclaw-secrets")).isEqualTo("750");
        assertThat(mode("etc/openclaw-secrets/env")).isEqualTo("600");
        assertThat(mode("etc/systemd/system/credproxy.service")).isEqualTo("644");
        assertThat(root.resolve("etc/systemd/system/credproxy.service"))
                .hasSameTextualContentAs(PackagingFiles.file("systemd/credproxy.service"));
        assertThat(root.resolve("etc/credproxy/credproxy.yaml")).hasSameTextualContentAs(PackagingFiles.file("credproxy.yaml"));
        assertThat(root.resolve("etc/openclaw-secrets/env")).hasSameTextualContentAs(PackagingFiles.file("env.example"));
        assertThat(root.resolve("opt/credproxy/credproxy-daemon.jar")).hasSameBinaryContentAs(daemonJar);
        assertThat(root.resolve("usr/lib/sysusers.d/credproxy.conf")).content().contains("u openclaw-secrets ");
        assertThat(first.output()).contains("Next steps", "systemctl enable --now credproxy", "sandbox-user.env");
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.map(Path::toString)).noneMatch(p -> p.endsWith(".new"));
        }

        Commands.Result second = install("--root", root.toString());

        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(snapshot(root)).isEqualTo(afterFirst);
        assertThat(changeLines(second.output())).as(second.output()).isEmpty();
        assertThat(second.output()).contains("keep " + root.resolve("etc/openclaw-secrets/env"));
    }

    @Test
    void neverOverwritesAnExistingSecretsFileOrConfig() throws Exception {
        String canary = "CANARY_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Path env = root.resolve("etc/openclaw-secrets/env");
        Files.createDirectories(env.getParent());
        Files.writeString(env, "TELEGRAM_BOT_TOKEN=" + canary + "\n");
        Path config = root.resolve("etc/credproxy/credproxy.yaml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "# edited by the administrator\n");

        Commands.Result result = install("--root", root.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(Files.readString(env)).isEqualTo("TELEGRAM_BOT_TOKEN=" + canary + "\n");
        assertThat(Files.readString(config)).isEqualTo("# edited by the administrator\n");
        assertThat(mode("etc/openclaw-secrets/env")).as("an existing file is still tightened").isEqualTo("600");
        assertThat(result.output()).doesNotContain(canary);
    }

    @Test
    void replacesAnOutdatedJarButNothingElse() throws Exception {
        install("--root", root.toString());
        Map<String, String> before = snapshot(root);
        Files.writeString(daemonJar, "a newer daemon jar");

        Commands.Result update = install("--root", root.toString());

        assertThat(update.exitCode()).as(update.output()).isZero();
        assertThat(root.resolve("opt/credproxy/credproxy-daemon.jar")).hasSameBinaryContentAs(daemonJar);
        Map<String, String> after = snapshot(root);
        for (String changed : List.of("opt/credproxy/credproxy-daemon.jar", "opt/credproxy")) { // the dir by the rename
            after.remove(changed);
            before.remove(changed);
        }
        assertThat(after).isEqualTo(before);
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        Commands.Result intoNothing = install("--root", root.toString(), "--dry-run");
        assertThat(intoNothing.exitCode()).as(intoNothing.output()).isZero();
        assertThat(root).doesNotExist();
        assertThat(intoNothing.output()).contains("would: install -m 0600", "would: mkdir -p " + root.resolve("etc/credproxy/ca"));

        install("--root", root.toString());
        Files.writeString(daemonJar, "a newer daemon jar");
        Files.setPosixFilePermissions(root.resolve("etc/credproxy/ca"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> before = snapshot(root);

        Commands.Result overInstalled = install("--root", root.toString(), "--dry-run");

        assertThat(overInstalled.exitCode()).as(overInstalled.output()).isZero();
        assertThat(snapshot(root)).isEqualTo(before);
        assertThat(overInstalled.output()).contains(
                "would: cp " + daemonJar, "would: chmod 0700 " + root.resolve("etc/credproxy/ca"));
    }

    @Test
    void dryRunOfARealInstallOnlyPrints() throws Exception {
        boolean configExisted = Files.exists(Path.of("/etc/credproxy"));

        Commands.Result result = install("--dry-run");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("installing into / (dry run", "would: ");
        assertThat(Files.exists(Path.of("/etc/credproxy"))).isEqualTo(configExisted);
    }

    @Test
    void appliesOwnershipWhenTheServiceUserExists() throws Exception {
        assumeRootWithMountNamespaces();
        Path passwd = Files.writeString(tmp.resolve("passwd"), Files.readString(Path.of("/etc/passwd"))
                + "openclaw-secrets:x:" + TEST_UID + ":" + TEST_UID + "::/nonexistent:/usr/sbin/nologin\n");
        Path group = Files.writeString(tmp.resolve("group"), Files.readString(Path.of("/etc/group"))
                + "openclaw-secrets:x:" + TEST_UID + ":\n");

        Commands.Result first = installAsIf(passwd, group);
        Commands.Result second = installAsIf(passwd, group);

        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(owner("etc/credproxy/ca")).isEqualTo(TEST_UID + ":" + TEST_UID);
        assertThat(owner("etc/openclaw-secrets")).isEqualTo("0:" + TEST_UID);
        assertThat(owner("etc/openclaw-secrets/env")).isEqualTo(TEST_UID + ":" + TEST_UID);
        assertThat(owner("etc/credproxy/credproxy.yaml")).isEqualTo("0:0");
        assertThat(owner("opt/credproxy/credproxy-daemon.jar")).isEqualTo("0:0");
        assertThat(owner("etc/systemd/system/credproxy.service")).isEqualTo("0:0");
        assertThat(first.output()).doesNotContain("ownership by openclaw-secrets not applied");
        Map<String, Integer> ids = Map.of("root", 0, "openclaw-secrets", TEST_UID);
        for (DocumentedPath documented : documentedInstallation()) {
            assertThat(owner(documented.relative())).as("owner of %s (docs/DEPLOY.md)", documented.path())
                    .isEqualTo(ids.get(documented.owner()) + ":" + ids.get(documented.group()));
        }
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(changeLines(second.output())).as(second.output()).isEmpty();
    }

    @Test
    void recordedOwnershipIsAppliedBySystemdToolsOnTheTarget() throws Exception {
        assumeTrue(isRoot(), "needs root to change owners");
        Path sysusers = Commands.onPath("systemd-sysusers").orElse(null);
        Path tmpfiles = Commands.onPath("systemd-tmpfiles").orElse(null);
        assumeTrue(sysusers != null && tmpfiles != null, "systemd-sysusers/systemd-tmpfiles not installed (Debian 'systemd')");
        Commands.Result installed = install("--root", root.toString());
        assertThat(installed.output()).contains("ownership by openclaw-secrets not applied");

        // Both tools work on the temporary root only: its own etc/passwd, its own files.
        Commands.Result users = Commands.run(List.of(sysusers.toString(), "--root", root.toString(), "credproxy.conf"));
        Commands.Result files = Commands.run(List.of(tmpfiles.toString(), "--root", root.toString(), "--create", "credproxy.conf"));

        assertThat(users.exitCode()).as(users.output()).isZero();
        assertThat(files.exitCode()).as(files.output()).isZero();
        String uid = Files.readAllLines(root.resolve("etc/passwd")).stream()
                .filter(l -> l.startsWith("openclaw-secrets:")).findFirst().orElseThrow().split(":")[2];
        assertThat(owner("etc/credproxy/ca")).isEqualTo(uid + ":" + uid);
        assertThat(owner("etc/openclaw-secrets")).isEqualTo("0:" + uid);
        assertThat(owner("etc/openclaw-secrets/env")).isEqualTo(uid + ":" + uid);
        assertThat(mode("etc/openclaw-secrets/env")).isEqualTo("600");
    }

    @Test
    void fenceUidInstallsTheTableAndItsUnitAndARerunChangesNothing() throws Exception {
        daemonJar = Path.of(System.getProperty("credproxy.daemon.jar", "target/credproxy-daemon.jar")).toAbsolutePath();
        assumeTrue(Files.isRegularFile(daemonJar), "the daemon jar is built by mvn package before the ITs");

        Commands.Result first = install("--root", root.toString(), "--fence-uid", "1001", "--fence-uid", "tito");
        Map<String, String> afterFirst = snapshot(root);
        Commands.Result second = install("--root", root.toString(), "--fence-uid", "1001", "--fence-uid", "tito");

        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(root.resolve("etc/credproxy/fence.nft")).content()
                .contains("meta skuid { 1001, \"tito\" } jump fenced", "ip daddr 127.0.0.1 tcp dport 18080 accept");
        assertThat(mode("etc/credproxy/fence.nft")).isEqualTo("644");
        assertThat(root.resolve("etc/systemd/system/credproxy-fence.service"))
                .hasSameTextualContentAs(PackagingFiles.file("systemd/credproxy-fence.service"));
        assertThat(first.output()).contains("systemctl enable --now credproxy-fence");
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(snapshot(root)).isEqualTo(afterFirst);
        assertThat(changeLines(second.output())).as(second.output()).isEmpty();
    }

    @Test
    void aFenceUidTheFenceRefusesStopsTheRunBeforeAnyChange() throws Exception {
        daemonJar = Path.of(System.getProperty("credproxy.daemon.jar", "target/credproxy-daemon.jar")).toAbsolutePath();
        assumeTrue(Files.isRegularFile(daemonJar), "the daemon jar is built by mvn package before the ITs");

        Commands.Result result = install("--root", root.toString(), "--fence-uid", "root");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("install.sh: --fence-uid: --uid: user root must not be fenced");
        assertThat(root).doesNotExist();
        assertThat(install("--root", root.toString(), "--fence-uid").output()).contains("--fence-uid needs a uid or user name");
    }

    @Test
    void badOptionsExitWithTwoAndSayWhy() throws Exception {
        Commands.Result unknown = install("--root", root.toString(), "--frobnicate");
        Commands.Result missing = install("--root");

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).contains("unknown option '--frobnicate'");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.output()).contains("--root needs a directory");
        assertThat(root).doesNotExist();
    }

    @Test
    void missingJarFailsWithTheBuildCommand() throws Exception {
        Files.delete(agentJar);

        Commands.Result result = install("--root", root.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("agent jar", "mvn -B -DskipTests package");
        assertThat(root).doesNotExist();
    }

    /** A row of the "What it creates" table in docs/DEPLOY.md. */
    record DocumentedPath(String path, String mode, String owner, String group) {
        String relative() {
            return path.substring(1);
        }
    }

    /** The table a newcomer reads, so the document and the installer cannot drift apart. */
    private static List<DocumentedPath> documentedInstallation() throws IOException {
        Path doc = PackagingFiles.dir().resolveSibling("docs").resolve("DEPLOY.md");
        Pattern row = Pattern.compile("^\\| `(/[^`]+)` \\| 0([0-7]{3}) \\| ([a-z-]+):([a-z-]+) \\|");
        List<DocumentedPath> rows = new ArrayList<>();
        for (String line : Files.readAllLines(doc)) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                rows.add(new DocumentedPath(m.group(1), m.group(2), m.group(3), m.group(4)));
            }
        }
        assertThat(rows).as("rows of the install table in %s", doc).hasSizeGreaterThanOrEqualTo(10);
        return rows;
    }

    private Commands.Result install(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", PackagingFiles.file("install.sh").toString(),
                "--daemon-jar", daemonJar.toString(), "--agent-jar", agentJar.toString()));
        command.addAll(List.of(options));
        return Commands.run(command);
    }

    /** Runs the installer in a private mount namespace where passwd and group are the given files. */
    private Commands.Result installAsIf(Path passwd, Path group) throws Exception {
        String script = "mount --bind \"$1\" /etc/passwd && mount --bind \"$2\" /etc/group && shift 2 && exec bash \"$@\"";
        return Commands.run(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh",
                passwd.toString(), group.toString(), PackagingFiles.file("install.sh").toString(),
                "--daemon-jar", daemonJar.toString(), "--agent-jar", agentJar.toString(), "--root", root.toString()));
    }

    private static void assumeRootWithMountNamespaces() throws Exception {
        assumeTrue(isRoot(), "needs root to change owners");
        assumeTrue(Commands.onPath("unshare").isPresent(), "unshare (util-linux) not installed");
        Commands.Result probe = Commands.run(List.of("unshare", "--mount", "--propagation", "private", "true"));
        assumeTrue(probe.exitCode() == 0, "cannot create a mount namespace here: " + probe.output().strip());
    }

    private static boolean isRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS)) == 0;
    }

    /** Lines in which the installer says it changed something (everything but keep, notes and next steps). */
    private static List<String> changeLines(String output) {
        return output.lines()
                .takeWhile(l -> !l.startsWith("Next steps"))
                .filter(l -> l.startsWith("  ") && !l.startsWith("  keep ") && !l.startsWith("  note:")
                        && !l.startsWith("        ") && !l.startsWith("  user openclaw-secrets: not created"))
                .toList();
    }

    private String mode(String relative) throws IOException {
        int mode = (Integer) Files.getAttribute(root.resolve(relative), "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return Integer.toOctalString(mode & 07777);
    }

    private String owner(String relative) throws IOException {
        Path p = root.resolve(relative);
        return Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":"
                + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    /** Every path under a tree with its mode, owner, size, content hash and modification time. */
    private static Map<String, String> snapshot(Path tree) throws Exception {
        Map<String, String> entries = new TreeMap<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
                String hash = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        ? HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))) : "-";
                entries.put(tree.relativize(p).toString(), Integer.toOctalString((Integer) a.get("mode")) + " "
                        + a.get("uid") + ":" + a.get("gid") + " " + a.get("size") + " " + hash + " " + a.get("lastModifiedTime"));
            }
        }
        return entries;
    }
}
