package io.credproxy.daemon.pipeline;

import static io.credproxy.daemon.pipeline.Exchanges.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.config.ConfigLoader;
import io.credproxy.daemon.identity.Caller;
import io.credproxy.daemon.identity.PeerUidResolver;
import io.credproxy.daemon.identity.PeerUser;
import io.credproxy.daemon.policy.Policy;
import io.credproxy.daemon.secrets.Secrets;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.wire.ProxyIdentity;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Hook 1 finds the peer's user off the event loop and holds the first read; hooks 2 and 4 answer 407 for who must authenticate. */
class IdentityStageTest {
    private static final Secrets SECRETS = new Secrets("test", Map.of("CF", "cf-secret-value-0123456789"));
    private static final InetSocketAddress DAEMON = new InetSocketAddress("127.0.0.1", 8080);

    private static Policy policy(String yaml) throws Exception {
        return Policy.load(new ConfigLoader().parse("secrets: /s\nca_dir: /ca\n" + yaml, Path.of("/")), SECRETS);
    }

    private static final String APPS = "apps: {tito: {uids: [1001]}, jvm-app: {uids: [1020]}}\nidentity: {unknown: deny}\n";

    private static PeerUidResolver decoys() throws Exception {
        return new PeerUidResolver(Path.of(IdentityStageTest.class.getClassLoader().getResource("procnet/decoys").toURI()));
    }

    @Test
    void withoutAppsNothingIsLookedUpAndTheConnectionIsReadAtOnce() throws Exception {
        IdentityStage stage = new IdentityStage(() -> Exchanges.POLICY, new PeerUidResolver(Path.of("/nonexistent")));
        Connection c = new Connection(new InetSocketAddress("127.0.0.1", 50001), DAEMON, "127.0.0.1:50001");

        assertThat(stage.onConnectionOpened(c)).isTrue();
        assertThat(c.readable().isDone()).isTrue();
        assertThat(c.hasAttr(IdentityStage.PEER_USER)).isFalse();
        assertThat(IdentityStage.callerOf(c, Optional.of(new ProxyIdentity("claimed", "")), Exchanges.POLICY))
                .isEqualTo(Caller.claimed("claimed"));
    }

    @Test
    void withAppsTheKernelsAnswerIsOnTheConnectionBeforeAnythingIsRead() throws Exception {
        Policy policy = policy(APPS);
        IdentityStage stage = new IdentityStage(() -> policy, decoys());
        Connection c = new Connection(new InetSocketAddress("127.0.0.1", 50001), DAEMON, "127.0.0.1:50001");

        assertThat(stage.onConnectionOpened(c)).isTrue();
        c.readable().get(5, TimeUnit.SECONDS);
        assertThat(c.attr(IdentityStage.PEER_USER).get()).isEqualTo(PeerUser.of(1001));
        assertThat(IdentityStage.callerOf(c, Optional.of(new ProxyIdentity("jvm-app", "")), policy))
                .isEqualTo(new Caller("tito", "jvm-app", 1001, true, null));
    }

    @Test
    void aPeerOffLoopbackIsUnknownAndDeniedWith407() throws Exception {
        Policy policy = policy(APPS);
        IdentityStage stage = new IdentityStage(() -> policy, decoys());
        Connection c = new Connection(new InetSocketAddress("192.0.2.7", 50001), DAEMON, "192.0.2.7:50001");
        stage.onConnectionOpened(c);
        c.readable().get(5, TimeUnit.SECONDS);

        Caller caller = IdentityStage.callerOf(c, Optional.of(new ProxyIdentity("tito", "")), policy);
        Target target = new Target(c, caller, new HostPort("api.cloudflare.com", 443), Target.Kind.CONNECT, "CONNECT", policy);
        TargetDecision decision = stage.onTarget(target);

        assertThat(decision.action()).isEqualTo(TargetDecision.Action.REFUSE);
        assertThat(decision.refusal().status()).isEqualTo(HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED);
        assertThat(decision.refusal().decision()).isEqualTo(Decision.DENIED);
        assertThat(decision.refusal().reason()).isEqualTo("the peer's user is unknown (identity.unknown: deny)");
        assertThat(caller.claimed()).isEqualTo("tito");
    }

    @Test
    void aConnectionOpenedBeforeIdentificationWasTurnedOnIsAnUnknownUser() throws Exception {
        Connection c = new Connection(new InetSocketAddress("127.0.0.1", 50001), DAEMON, "127.0.0.1:50001");
        new IdentityStage(() -> Exchanges.POLICY, decoys()).onConnectionOpened(c);

        Caller caller = IdentityStage.callerOf(c, Optional.of(new ProxyIdentity("tito", "")), policy(APPS));

        assertThat(caller.refusal()).isEqualTo("the peer's user is unknown (identity.unknown: deny)");
    }

    @Test
    void aRequestInsideATunnelIsRefusedWhenItsCallerIs() throws Exception {
        Policy policy = policy(APPS);
        IdentityStage stage = new IdentityStage(() -> policy, decoys());
        Connection c = new Connection(null, "127.0.0.1:1");
        Target target = new Target(c, new Caller("unknown", null, 4242, false, "uid 4242 is no configured app's user"),
                new HostPort("api.cloudflare.com", 443), Target.Kind.INTERCEPTED, "GET", policy);
        Exchange ex = new Exchange(target, Exchange.Scheme.HTTPS, null, request("GET", "/"), "/", null);

        assertThat(stage.onRequest(ex).status()).isEqualTo(HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED);
        Target fine = new Target(c, new Caller("tito", null, 1001, true, null), new HostPort("api.cloudflare.com", 443),
                Target.Kind.INTERCEPTED, "GET", policy);
        assertThat(stage.onRequest(new Exchange(fine, Exchange.Scheme.HTTPS, null, request("GET", "/"), "/", null)).proceeds()).isTrue();
        assertThat(stage.onTarget(fine)).isSameAs(TargetDecision.PROCEED);
    }
}
