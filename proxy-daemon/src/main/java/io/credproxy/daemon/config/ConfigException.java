package io.credproxy.daemon.config;

/**
 * Configuration or secrets that the daemon refuses to run with.
 *
 * <p>The message names the problem (file, key, line) in one line and never holds a secret value;
 * the CLI prints it and exits with status 2.
 */
public class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
