package io.credproxy.daemon.identity;

import io.credproxy.daemon.config.ConfigException;
import io.credproxy.daemon.config.IdentityConfig;
import io.credproxy.daemon.secrets.ProtectedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the apps' {@code token_file}s, refusing unsafe ones like the secrets file.
 *
 * <p>A token file must be a regular file of mode 0600 or 0640 (the app's group may read it, so the
 * app's own user can be given it), owned by root or the daemon's user, and hold one line of at least
 * {@value #MIN_LENGTH} printable ASCII characters: a short token could be guessed over loopback.
 * Messages name the file and the app, never the token.
 */
public final class TokenFiles {
    static final int MIN_LENGTH = 16;

    private TokenFiles() {}

    /** Each app's token by app name; apps without a token file are absent. */
    public static Map<String, String> load(IdentityConfig config) throws ConfigException {
        Map<String, String> tokens = new LinkedHashMap<>();
        for (IdentityConfig.App app : config.apps().values()) {
            if (app.tokenFile() != null) {
                tokens.put(app.name(), read(Path.of(app.tokenFile()), app.name()));
            }
        }
        return tokens;
    }

    /** The token in {@code file}, checked. */
    static String read(Path file, String app) throws ConfigException {
        String what = "token file of app " + app;
        ProtectedFile.check(file, what, true);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(what + " " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
        return check(text.strip(), what + " " + file);
    }

    static String check(String token, String where) throws ConfigException {
        if (token.length() < MIN_LENGTH) {
            throw new ConfigException(where + ": the token is shorter than " + MIN_LENGTH + " characters");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new ConfigException(where + ": the token must be one line of printable ASCII without spaces");
            }
        }
        return token;
    }
}
