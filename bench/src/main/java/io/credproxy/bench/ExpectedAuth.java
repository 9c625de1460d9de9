package io.credproxy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The credential the upstream must see on every request, and what each target's client sends.
 *
 * <p>A direct client sends the real value itself; a proxied client sends the placeholder the
 * sandbox holds ({@code proxy-managed}, as in the design credproxy replaces) and the proxy must
 * replace it. The upstream echoes what it received, so a proxy that forgot, or injected the wrong
 * value, shows up as an error however fast it was. The value is never printed: messages give
 * lengths only.
 */
public final class ExpectedAuth {
    public static final String PLACEHOLDER = "Bearer proxy-managed";

    private final String expected;

    public ExpectedAuth(String expected) {
        this.expected = expected;
    }

    /** Reads {@code NAME=VALUE} from an env file; the header is {@code Bearer VALUE}. */
    public static ExpectedAuth fromEnvFile(Path file, String name) throws IOException {
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.trim();
            if (trimmed.startsWith(name + "=")) {
                String value = trimmed.substring(name.length() + 1).trim();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                        || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                return new ExpectedAuth("Bearer " + value);
            }
        }
        throw new IOException(file + " defines no " + name);
    }

    /** The {@code Authorization} value the client sends to {@code target}. */
    public String sentBy(Target target) {
        return target.proxied() ? PLACEHOLDER : expected;
    }

    /** Null when {@code echoed} is the expected credential, else a description without values. */
    public String mismatch(String echoed) {
        if (expected.equals(echoed)) {
            return null;
        }
        if (echoed == null || echoed.isEmpty()) {
            return "upstream saw no Authorization header";
        }
        if (echoed.equals(PLACEHOLDER)) {
            return "upstream saw the placeholder: nothing was injected";
        }
        return "upstream saw a different Authorization value (" + echoed.length() + " chars, expected "
                + expected.length() + ")";
    }
}
