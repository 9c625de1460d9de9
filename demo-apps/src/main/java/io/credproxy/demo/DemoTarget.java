package io.credproxy.demo;

import java.net.URI;

/**
 * What every demo app calls and with which token, from its environment.
 *
 * <p>{@code CREDPROXY_DEMO_URL} (default the Cloudflare token check) and {@code CLOUDFLARE_API_TOKEN},
 * which in a credproxy deployment holds only the placeholder {@code proxy-managed}: the real token is
 * the daemon's. The apps print one line, {@code APP: HTTP STATUS BODY}, so that a person or a test can
 * read what the upstream answered.
 */
public record DemoTarget(URI uri, String token) {
    public static final String DEFAULT_URL = "https://api.cloudflare.com/client/v4/user/tokens/verify";

    /** From the environment. */
    public static DemoTarget fromEnvironment() {
        String url = System.getenv().getOrDefault("CREDPROXY_DEMO_URL", DEFAULT_URL);
        String token = System.getenv().getOrDefault("CLOUDFLARE_API_TOKEN", "proxy-managed");
        return new DemoTarget(URI.create(url), token);
    }

    public String host() {
        return uri.getHost();
    }

    public int port() {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    /** The path and query, for request lines written by hand. */
    public String pathAndQuery() {
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** The {@code Authorization} value the app sends (with the placeholder token). */
    public String authorization() {
        return "Bearer " + token;
    }

    /** Prints the outcome line. */
    public static void report(String app, int status, String body) {
        String firstLine = body == null ? "" : body.strip().lines().findFirst().orElse("");
        System.out.println(app + ": HTTP " + status + " " + firstLine);
    }

    /** Prints a failure line and exits 1. */
    public static void fail(String app, Exception e) {
        System.out.println(app + ": FAILED " + e);
        System.exit(1);
    }
}
