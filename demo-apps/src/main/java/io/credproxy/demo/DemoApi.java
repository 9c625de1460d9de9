package io.credproxy.demo;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The four APIs of the demo, and how a client of each sends its token: what the demo apps do with
 * the {@code proxy-managed} placeholder they hold, and what the daemon's rule for the host replaces.
 *
 * <p>The same hosts and secret names as the design credproxy replaces, where Telegram's bot token
 * (in the URL path) could not be injected and stayed in the app: here a {@code substitute} rule
 * replaces the placeholder in the path, so the app holds no real token at all.
 */
public enum DemoApi {
    /** Cloudflare's token check: {@code Authorization: Bearer TOKEN}. */
    CLOUDFLARE("api.cloudflare.com", "CLOUDFLARE_D1_API_TOKEN", "/client/v4/user/tokens/verify", "Authorization", "Bearer "),
    /** Google Places: an API key header. */
    GOOGLE_PLACES("places.googleapis.com", "GOOGLE_PLACES_API_KEY", "/v1/places/ChIJ3S-JXmauEmsRUcIaWtf4MzE", "X-Goog-Api-Key", ""),
    /** A CRM behind Cloudflare Access: a bearer token; the daemon also adds the two Access headers the app never sees. */
    CRM("crm.demo.workers.dev", "CRM_API_KEY", "/api/contacts", "Authorization", "Bearer "),
    /** Telegram's Bot API: the token is a path segment, {@code /botTOKEN/getMe}. */
    TELEGRAM("api.telegram.org", "TELEGRAM_BOT_TOKEN", "/bot%s/getMe", null, null);

    /** The placeholder every sandboxed app holds instead of a real token. */
    public static final String PLACEHOLDER = "proxy-managed";

    private final String host;
    private final String tokenVariable;
    private final String path;
    private final String header;
    private final String headerPrefix;

    DemoApi(String host, String tokenVariable, String path, String header, String headerPrefix) {
        this.host = host;
        this.tokenVariable = tokenVariable;
        this.path = path;
        this.header = header;
        this.headerPrefix = headerPrefix;
    }

    public String host() {
        return host;
    }

    /** The environment variable the app reads its token from (which holds the placeholder). */
    public String tokenVariable() {
        return tokenVariable;
    }

    /** The request path, with the token where this API wants it. */
    public String path(String token) {
        return path.contains("%s") ? String.format(path, token) : path;
    }

    /** The headers carrying the token; none when it travels in the path. */
    public Map<String, String> headers(String token) {
        Map<String, String> out = new LinkedHashMap<>();
        if (header != null) {
            out.put(header, headerPrefix + token);
        }
        return out;
    }

    /** The API served at {@code host}, if it is one of the demo's. */
    public static Optional<DemoApi> forHost(String host) {
        return Arrays.stream(values()).filter(a -> a.host.equalsIgnoreCase(host)).findFirst();
    }

    /** Every host name, for hosts files and certificates. */
    public static List<String> hosts() {
        return Arrays.stream(values()).map(DemoApi::host).toList();
    }
}
