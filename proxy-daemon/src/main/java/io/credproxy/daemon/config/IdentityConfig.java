package io.credproxy.daemon.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code apps:} and {@code identity:} sections: which Unix users each app runs as, which apps must
 * also present a token, and what happens to a peer the kernel does not vouch for.
 *
 * <p>{@link #OFF} (both sections absent) keeps the behaviour from before they existed: an app is
 * whatever name the client claims in {@code Proxy-Authorization}, and nothing is looked up.
 *
 * @param apps by name, in file order
 * @param unknown what a peer gets whose user is no app's, or cannot be found
 */
public record IdentityConfig(Map<String, App> apps, UnknownPeers unknown) {
    public static final IdentityConfig OFF = new IdentityConfig(Map.of(), UnknownPeers.ANONYMOUS);

    /** What a peer that matches no app gets. */
    public enum UnknownPeers {
        /** It is served as the app {@code unknown}: rules that name apps are not for it. */
        ANONYMOUS,
        /** 407 on every CONNECT and request. */
        DENY
    }

    /**
     * One app.
     *
     * @param name the app's name, as rules' {@code apps:} and reports name it
     * @param uids the Unix users whose connections are this app's
     * @param tokenFile a file holding the token the app must also send ({@code Basic base64(app:token)}); {@code null}: none
     */
    public record App(String name, List<Long> uids, String tokenFile) {
        public App {
            Objects.requireNonNull(name, "name");
            uids = List.copyOf(uids);
        }
    }

    public IdentityConfig {
        apps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(apps));
        Objects.requireNonNull(unknown, "unknown");
    }

    /** Whether peers are identified by the kernel at all. */
    public boolean enabled() {
        return !apps.isEmpty();
    }
}
