package io.credproxy.bench;

/**
 * What an upstream says about the {@code Authorization} header it received: {@code ok},
 * {@code placeholder}, {@code missing} or {@code wrong}.
 *
 * <p>The upstreams answer with this verdict ({@code X-Auth-Check}, and the body of {@code /echo})
 * rather than echoing the value: credproxy rightly removes its secrets from response headers, so an
 * echoed value would never come back, and a verdict keeps the value off the wire back to the
 * client. nginx computes the same verdict with a {@code map} in the config {@code bench/run.sh} writes.
 */
public final class AuthVerdict {
    public static final String HEADER = "X-Auth-Check";
    public static final String OK = "ok";
    public static final String PLACEHOLDER = "placeholder";
    public static final String MISSING = "missing";
    public static final String WRONG = "wrong";

    private AuthVerdict() {}

    /** The verdict on {@code received} when {@code expected} is the right value. */
    public static String of(String received, String expected) {
        if (received == null || received.isEmpty()) {
            return MISSING;
        }
        if (received.equals(ExpectedAuth.PLACEHOLDER)) {
            return PLACEHOLDER;
        }
        return received.equals(expected) ? OK : WRONG;
    }
}
