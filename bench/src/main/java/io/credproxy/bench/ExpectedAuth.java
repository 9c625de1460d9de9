package io.credproxy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The credential the upstream must see on every request, and what each target's client sends.
 *
 * <p>A direct client sends the real value itself; a proxied client sends the placeholder the
 * sandbox holds ({@code proxy-managed}, as in the design credproxy replaces) and the proxy must
 * replace it. The upstream answers with an {@link AuthVerdict}, so a proxy that forgot, or injected
 * the wrong value, shows up as an error however fast it was. The value is never printed.
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

    /** What a redacting proxy leaves of an echoed {@code Authorization}: {@code Bearer [REDACTED]}. */
    public static final String REDACTED_ECHO = "Bearer [REDACTED]";

    /** How many bytes shorter an echoed {@code Authorization} is once a proxy has redacted it. */
    public int redactionShrink() {
        return expected.length() - REDACTED_ECHO.length();
    }

    /** Whether {@code text} holds the real credential (the value after {@code Bearer }). */
    public boolean leaksInto(String text) {
        return text.contains(expected.substring("Bearer ".length()));
    }

    /** The {@code Authorization} value the client sends to {@code target}. */
    public String sentBy(Target target) {
        return target.proxied() ? PLACEHOLDER : expected;
    }

    /** The upstream's verdict on a received value (for the benchmark's own upstream). */
    public String verdictOn(String received) {
        return AuthVerdict.of(received, expected);
    }

    /** Null when the upstream's verdict is {@code ok}, else what went wrong. */
    public static String mismatch(String verdict) {
        if (verdict == null) {
            return "the answer carried no " + AuthVerdict.HEADER + " verdict";
        }
        return switch (verdict.trim()) {
            case AuthVerdict.OK -> null;
            case AuthVerdict.MISSING -> "upstream saw no Authorization header";
            case AuthVerdict.PLACEHOLDER -> "upstream saw the placeholder: nothing was injected";
            case AuthVerdict.WRONG -> "upstream saw a different Authorization value";
            default -> "the answer carried an unknown verdict (" + verdict.length() + " chars)";
        };
    }
}
