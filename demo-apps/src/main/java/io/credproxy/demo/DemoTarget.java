package io.credproxy.demo;

import java.net.URI;
import java.util.Map;

/**
 * What a demo app calls and how it sends its token, from its environment.
 *
 * <p>{@code CREDPROXY_DEMO_URL} names the API's origin (scheme, host, port) and may carry a query
 * (the demo tags each run with one); the path and the token's place are the API's own
 * ({@link DemoApi}). The token comes from the API's variable, which in a credproxy deployment holds
 * only the placeholder {@code proxy-managed}: the real token is the daemon's. A host that is not
 * one of the demo APIs gets the URL as given and {@code Authorization: Bearer} the Cloudflare
 * variable. The apps print one line per call, {@code APP: HTTP STATUS BODY}, so that a person or a
 * test can read what the upstream answered.
 */
public record DemoTarget(URI uri, Map<String, String> headers) {
    public static final String DEFAULT_URL = "https://" + DemoApi.CLOUDFLARE.host();

    /** From the environment. */
    public static DemoTarget fromEnvironment() {
        return from(URI.create(System.getenv().getOrDefault("CREDPROXY_DEMO_URL", DEFAULT_URL)), System.getenv());
    }

    /** For {@code url}, with tokens from {@code env}. */
    static DemoTarget from(URI url, Map<String, String> env) {
        DemoApi api = DemoApi.forHost(url.getHost()).orElse(null);
        String token = env.getOrDefault((api == null ? DemoApi.CLOUDFLARE : api).tokenVariable(), DemoApi.PLACEHOLDER);
        if (api == null) {
            return new DemoTarget(url, DemoApi.CLOUDFLARE.headers(token));
        }
        URI uri = URI.create(url.getScheme() + "://" + url.getRawAuthority() + api.path(token)
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
        return new DemoTarget(uri, api.headers(token));
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

    /** The {@code Host} header value for this target. */
    public String authority() {
        return host() + (port() == ("https".equals(uri.getScheme()) ? 443 : 80) ? "" : ":" + port());
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
