package io.credproxy.daemon.identity;

import io.credproxy.daemon.config.IdentityConfig;
import io.credproxy.protocol.wire.ProxyIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configured apps with their users and token digests: decides who a peer is from the uid the
 * kernel reported and the name (and token) the client claimed.
 *
 * <p>The kernel decides; the claim only chooses among the apps the peer's uid runs (when one user runs
 * several) and carries the token:
 * <ol>
 *   <li>Identification off ({@link IdentityConfig#OFF}): the claimed name, as before.
 *   <li>The uid is no app's (or unknown): {@code deny} answers 407; {@code anonymous} serves the app
 *       {@code unknown}, and a claimed name is kept as "claimed X".
 *   <li>The claimed name is one of the uid's apps: that app. Else, when the uid runs one app: that app,
 *       the claimed name kept as "claimed X". Else (several, none named): 407, name one.
 *   <li>An app with a token file also needs {@code Basic base64(app:token)} naming it with its token,
 *       compared in constant time; else 407.
 * </ol>
 * Token values never leave this class: it keeps their SHA-256 digests.
 */
public final class AppDirectory {
    public static final AppDirectory OFF = new AppDirectory(IdentityConfig.OFF, Map.of());

    private final IdentityConfig config;
    private final Map<String, byte[]> tokenDigests;
    private final Map<Long, List<String>> appsByUid = new HashMap<>();

    /**
     * @param tokens each app's token by app name (apps without {@code token_file} absent)
     */
    public AppDirectory(IdentityConfig config, Map<String, String> tokens) {
        this.config = config;
        Map<String, byte[]> digests = new LinkedHashMap<>();
        tokens.forEach((app, token) -> digests.put(app, sha256(token)));
        this.tokenDigests = Map.copyOf(digests);
        for (IdentityConfig.App app : config.apps().values()) {
            for (long uid : app.uids()) {
                appsByUid.computeIfAbsent(uid, u -> new ArrayList<>()).add(app.name());
            }
        }
    }

    public boolean enabled() {
        return config.enabled();
    }

    public IdentityConfig config() {
        return config;
    }

    public boolean hasToken(String app) {
        return tokenDigests.containsKey(app);
    }

    /**
     * Who asks.
     *
     * @param peer what the kernel said; {@code null} when it was not asked (treated as unknown)
     * @param claim the client's {@code Proxy-Authorization}, if it sent one
     */
    public Caller identify(PeerUser peer, Optional<ProxyIdentity> claim) {
        Caller caller = attribute(peer, claim.map(ProxyIdentity::app).orElse(null));
        byte[] expected = tokenDigests.get(caller.app());
        if (caller.refused() || !caller.attested() || expected == null) {
            return caller;
        }
        boolean named = claim.isPresent() && claim.get().app().equals(caller.app());
        byte[] given = sha256(claim.map(ProxyIdentity::token).orElse(""));
        // Compared even when the name is wrong, so the time taken says nothing about which part failed.
        boolean tokenOk = MessageDigest.isEqual(expected, given);
        if (!named || !tokenOk) {
            return new Caller(caller.app(), caller.claimed(), caller.uid(), true, "app " + caller.app()
                    + " must send its token: Proxy-Authorization: Basic base64(" + caller.app() + ":token)");
        }
        return caller;
    }

    /**
     * Who a peer is by the kernel's word and a claimed name alone, tokens aside: for what an agent
     * reports about itself ({@code POST /events}), where a process can only speak for its own user's apps.
     *
     * @param claimedName the name the client claimed, or {@code null}
     */
    public Caller attribute(PeerUser peer, String claimedName) {
        if (!enabled()) {
            return Caller.claimed(claimedName == null ? ProxyIdentity.UNKNOWN_APP : claimedName);
        }
        PeerUser user = peer == null ? PeerUser.unknown("not identified") : peer;
        List<String> apps = user.known() ? appsByUid.getOrDefault(user.uid(), List.of()) : List.of();
        if (apps.isEmpty()) {
            String claimed = ProxyIdentity.UNKNOWN_APP.equals(claimedName) ? null : claimedName;
            String who = user.known() ? "uid " + user.uid() + " is no configured app's user" : "the peer's user is unknown";
            String refusal = config.unknown() == IdentityConfig.UnknownPeers.DENY ? who + " (identity.unknown: deny)" : null;
            return new Caller(ProxyIdentity.UNKNOWN_APP, claimed, user.uid(), false, refusal);
        }
        String app;
        if (claimedName != null && apps.contains(claimedName)) {
            app = claimedName;
        } else if (apps.size() == 1) {
            app = apps.get(0);
        } else {
            return new Caller(ProxyIdentity.UNKNOWN_APP, claimedName, user.uid(), false, "uid " + user.uid()
                    + " runs several apps (" + String.join(", ", apps) + "): name one in Proxy-Authorization");
        }
        return new Caller(app, claimedName == null || claimedName.equals(app) ? null : claimedName, user.uid(), true, null);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AppDirectory" + config.apps().keySet() + ", tokens for " + tokenDigests.keySet();
    }
}
