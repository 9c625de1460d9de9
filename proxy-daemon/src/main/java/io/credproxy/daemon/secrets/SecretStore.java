package io.credproxy.daemon.secrets;

import io.credproxy.daemon.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads secret values from the env file named by the config's {@code secrets:} key.
 *
 * <p>Two sources: a plain path, or {@code systemd-credential:NAME}, which reads
 * {@code $CREDENTIALS_DIRECTORY/NAME} as systemd's {@code LoadCredential=} provides it. Either way
 * the file must be a regular file that neither group nor others can read or write, owned by the user
 * the daemon runs as (or root): a secrets file others can read is already leaked, so the daemon
 * refuses to start rather than hide that.
 */
public final class SecretStore {
    public static final String SYSTEMD_CREDENTIAL_PREFIX = "systemd-credential:";

    private final Map<String, String> environment;

    public SecretStore() {
        this(System.getenv());
    }

    /** For tests: an environment other than the process's. */
    public SecretStore(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Resolves a {@code secrets:} value to the file it names. */
    public Path resolve(String source) throws ConfigException {
        if (source.startsWith(SYSTEMD_CREDENTIAL_PREFIX)) {
            String name = source.substring(SYSTEMD_CREDENTIAL_PREFIX.length());
            if (name.isEmpty() || name.contains("/")) {
                throw new ConfigException("secrets: '" + source + "' must name one credential, like systemd-credential:secrets");
            }
            String dir = environment.get("CREDENTIALS_DIRECTORY");
            if (dir == null || dir.isEmpty()) {
                throw new ConfigException("secrets: " + source
                        + " needs $CREDENTIALS_DIRECTORY (run under systemd with LoadCredential=" + name + ":...)");
            }
            return Path.of(dir, name);
        }
        return Path.of(source);
    }

    /**
     * Reads and checks the secrets.
     *
     * @throws ConfigException when the file is missing, unsafe, or malformed
     */
    public Secrets load(String source) throws ConfigException {
        Path file = resolve(source);
        checkSafe(file);
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("secrets file " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
        return new Secrets(file.toString(), EnvFileParser.parse("secrets file " + file, content));
    }

    /**
     * Refuses a file that is missing, not regular, open to group or others, or owned by another user.
     *
     * <p>The owner must be the user this process runs as, or root: any other owner can change the
     * file's mode or contents at will, so the mode bits would prove nothing.
     *
     * @throws ConfigException naming the file and the problem
     */
    public static void checkSafe(Path file) throws ConfigException {
        ProtectedFile.check(file, "secrets file", false);
    }

    /** {@link #checkSafe(Path)} for a given current user, so tests need not switch users. */
    static void checkSafe(Path file, long currentUid, String currentUser) throws ConfigException {
        ProtectedFile.check(file, "secrets file", false, currentUid, currentUser);
    }
}
