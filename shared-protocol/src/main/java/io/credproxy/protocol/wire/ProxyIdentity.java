package io.credproxy.protocol.wire;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Which app a proxied request or tunnel comes from, as the agent tells the daemon.
 *
 * <p>Carried as {@code Proxy-Authorization: Basic base64(app:token)} on every proxied request and
 * CONNECT. The token is optional (empty when unset, the form older agents send: {@code app:}). On its
 * own the app name proves nothing: any process that can reach the proxy can claim any name. A daemon
 * with an {@code apps:} section decides who a client is from the kernel's word on who owns its socket;
 * the claimed name then only picks among the apps of that user, and an app configured with a
 * {@code token_file} must also send its token here.
 */
public record ProxyIdentity(String app, String token) {
    public static final String HEADER = "Proxy-Authorization";
    public static final String UNKNOWN_APP = "unknown";
    private static final int MAX_APP_LENGTH = 64;

    public ProxyIdentity {
        app = sanitizeApp(app);
        token = token == null ? "" : token;
    }

    /** The header value, {@code Basic ...}. */
    public String toHeaderValue() {
        String raw = app + ":" + token;
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a {@code Proxy-Authorization} value; empty when absent or not Basic. */
    public static Optional<ProxyIdentity> fromHeaderValue(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.length() < 6 || !v.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(v.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        String app = colon >= 0 ? decoded.substring(0, colon) : decoded;
        String token = colon >= 0 ? decoded.substring(colon + 1) : "";
        return Optional.of(new ProxyIdentity(app, token));
    }

    /**
     * Keeps app names printable and short: they reach logs, reports and HTML, and come from a
     * semi-trusted process.
     */
    public static String sanitizeApp(String app) {
        if (app == null || app.isBlank()) {
            return UNKNOWN_APP;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < app.length() && out.length() < MAX_APP_LENGTH; i++) {
            char c = app.charAt(i);
            out.append(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' ? c : '_');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "ProxyIdentity[app=" + app + "]"; // the token stays out of logs
    }
}
