package io.credproxy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away Unix system user for tests that run clients as other users (per-app identity): created
 * with {@code useradd --system}, used through {@code setpriv --reuid --regid --clear-groups}, removed
 * with {@code userdel} on {@link #close()}.
 *
 * <p>Needs root, {@code useradd} and {@code setpriv}; {@link #unavailableReason()} says what is
 * missing so a test can skip with the reason printed. Names are unique per run ({@code PREFIX-<hex>}),
 * so tests running at the same time on one machine never share or delete each other's users.
 */
public final class SystemUser implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The user that exists on every Debian system and that no test configures: a stranger to the daemon. */
    public static final long NOBODY = 65534;

    private final String name;
    private final long uid;
    private final long gid;

    private SystemUser(String name, long uid, long gid) {
        this.name = name;
        this.uid = uid;
        this.gid = gid;
    }

    /** Why system users cannot be made here, or {@code null} when they can. */
    public static String unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not running as root (creating users and switching to them needs root); CI runs as root";
        }
        for (String tool : List.of("/usr/sbin/useradd", "/usr/sbin/userdel", "/usr/bin/setpriv")) {
            if (!Files.isExecutable(Path.of(tool))) {
                return tool + " is missing (.ci/run installs it)";
            }
        }
        return null;
    }

    /** Creates a new system user named {@code prefix-<6 hex>} (prefix: at most 20 characters). */
    public static SystemUser create(String prefix) throws IOException, InterruptedException {
        byte[] bytes = new byte[3];
        RANDOM.nextBytes(bytes);
        String name = prefix + "-" + HexFormat.of().formatHex(bytes);
        run(List.of("/usr/sbin/useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                "--shell", "/usr/sbin/nologin", name));
        return new SystemUser(name, Long.parseLong(run(List.of("id", "-u", name)).trim()),
                Long.parseLong(run(List.of("id", "-g", name)).trim()));
    }

    public String name() {
        return name;
    }

    public long uid() {
        return uid;
    }

    public long gid() {
        return gid;
    }

    /** {@code command} run as this user, with its group and no supplementary groups. */
    public List<String> command(List<String> command) {
        return as(uid, gid, command);
    }

    /** {@code command} run as {@code uid}/{@code gid} (for users a test did not create, such as {@link #NOBODY}). */
    public static List<String> as(long uid, long gid, List<String> command) {
        List<String> out = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups"));
        out.addAll(command);
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of("/usr/sbin/userdel", name));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8).trim());
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return name + " (uid " + uid + ")";
    }
}
