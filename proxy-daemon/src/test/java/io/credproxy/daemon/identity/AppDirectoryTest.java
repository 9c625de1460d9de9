package io.credproxy.daemon.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.config.IdentityConfig;
import io.credproxy.daemon.config.IdentityConfig.UnknownPeers;
import io.credproxy.protocol.wire.ProxyIdentity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who a peer is: the kernel's uid decides, the claim picks among the uid's apps and carries the token. */
class AppDirectoryTest {
    private static final String TOKEN = "billing-token-0123456789abcdef";

    private static AppDirectory directory(UnknownPeers unknown) {
        Map<String, IdentityConfig.App> apps = new LinkedHashMap<>();
        apps.put("tito", new IdentityConfig.App("tito", List.of(1001L), null));
        apps.put("billing", new IdentityConfig.App("billing", List.of(1002L), "/etc/credproxy/billing.token"));
        apps.put("crm", new IdentityConfig.App("crm", List.of(1003L), null));
        apps.put("reports", new IdentityConfig.App("reports", List.of(1003L), null));
        return new AppDirectory(new IdentityConfig(apps, unknown), Map.of("billing", TOKEN));
    }

    private static Optional<ProxyIdentity> claim(String app, String token) {
        return Optional.of(new ProxyIdentity(app, token));
    }

    private final AppDirectory apps = directory(UnknownPeers.ANONYMOUS);

    @Test
    void theKernelsUidNamesTheAppWhateverTheClientClaims() {
        assertThat(apps.identify(PeerUser.of(1001), claim("tito", ""))).isEqualTo(new Caller("tito", null, 1001, true, null));
        assertThat(apps.identify(PeerUser.of(1001), Optional.empty())).isEqualTo(new Caller("tito", null, 1001, true, null));
        assertThat(apps.identify(PeerUser.of(1001), claim("billing", TOKEN)))
                .as("uid 1001 claiming billing, even with billing's token, is tito, shown as claimed billing")
                .isEqualTo(new Caller("tito", "billing", 1001, true, null));
    }

    @Test
    void anAppWithATokenNeedsItsNameAndTokenOrGets407() {
        assertThat(apps.identify(PeerUser.of(1002), claim("billing", TOKEN))).isEqualTo(new Caller("billing", null, 1002, true, null));
        for (Optional<ProxyIdentity> wrong : List.of(claim("billing", ""), claim("billing", TOKEN + "x"), claim("billing", "x"),
                claim("tito", TOKEN), Optional.<ProxyIdentity>empty())) {
            Caller caller = apps.identify(PeerUser.of(1002), wrong);
            assertThat(caller.refused()).as(String.valueOf(wrong)).isTrue();
            assertThat(caller.refusal()).isEqualTo("app billing must send its token: Proxy-Authorization: Basic base64(billing:token)")
                    .doesNotContain(TOKEN);
        }
    }

    @Test
    void aUserRunningSeveralAppsMustNameOne() {
        assertThat(apps.identify(PeerUser.of(1003), claim("reports", "")).app()).isEqualTo("reports");
        assertThat(apps.identify(PeerUser.of(1003), claim("crm", "")).app()).isEqualTo("crm");
        Caller unnamed = apps.identify(PeerUser.of(1003), claim("tito", ""));
        assertThat(unnamed.refusal()).isEqualTo("uid 1003 runs several apps (crm, reports): name one in Proxy-Authorization");
    }

    @Test
    void unknownPeersAreAnonymousOrDenied() {
        assertThat(apps.identify(PeerUser.of(4242), claim("tito", "")))
                .isEqualTo(new Caller(ProxyIdentity.UNKNOWN_APP, "tito", 4242, false, null));
        assertThat(apps.identify(PeerUser.unknown("not a loopback peer"), Optional.empty()))
                .isEqualTo(new Caller(ProxyIdentity.UNKNOWN_APP, null, PeerUser.NONE, false, null));
        assertThat(apps.identify(null, claim("tito", "")).app()).as("not asked: unknown, never the claim").isEqualTo("unknown");

        AppDirectory deny = directory(UnknownPeers.DENY);
        assertThat(deny.identify(PeerUser.of(4242), claim("tito", "")).refusal())
                .isEqualTo("uid 4242 is no configured app's user (identity.unknown: deny)");
        assertThat(deny.identify(PeerUser.unknown("x"), Optional.empty()).refusal())
                .isEqualTo("the peer's user is unknown (identity.unknown: deny)");
        assertThat(deny.identify(PeerUser.of(1001), Optional.empty()).refused()).isFalse();
    }

    @Test
    void withoutAppsTheClaimedNameIsTheAppAsBefore() {
        assertThat(AppDirectory.OFF.identify(PeerUser.of(1001), claim("anything", "t"))).isEqualTo(Caller.claimed("anything"));
        assertThat(AppDirectory.OFF.identify(null, Optional.empty())).isEqualTo(Caller.claimed("unknown"));
    }

    @Test
    void eventsAreAttributedByUidWithoutTheToken() {
        assertThat(apps.attribute(PeerUser.of(1002), "billing")).isEqualTo(new Caller("billing", null, 1002, true, null));
        assertThat(apps.attribute(PeerUser.of(1002), "tito")).isEqualTo(new Caller("billing", "tito", 1002, true, null));
        assertThat(directory(UnknownPeers.DENY).attribute(PeerUser.of(4242), "tito").refused()).isTrue();
    }

    @Test
    void theTokenNeverShowsInTheDirectorysText() {
        assertThat(apps.toString()).doesNotContain(TOKEN).contains("billing");
    }
}
