package io.credproxy.daemon.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.egress.AddressPolicy;
import io.credproxy.daemon.egress.Cidr;
import io.credproxy.daemon.egress.EgressConfig;
import io.credproxy.daemon.egress.HostPattern;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.report.Decision;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The egress stage on fake targets: every spelling judged by the address it means, before any connect. */
class EgressStageTest {
    private static final int PROXY_PORT = 18080;
    private static final int ADMIN_PORT = 18081;
    private static final HostPort MAPPED = new HostPort("api.cloudflare.com", 443);

    private static EgressStage stage(EgressConfig config) throws Exception {
        EgressStage stage = new EgressStage(config, Set.of(MAPPED, new HostPort("127.0.0.1", 9443)), Set::of);
        stage.ownEndpoints(List.of(
                new AddressPolicy.Endpoint("proxy", new InetSocketAddress(InetAddress.getByName("127.0.0.1"), PROXY_PORT)),
                new AddressPolicy.Endpoint("admin", new InetSocketAddress(InetAddress.getByName("127.0.0.1"), ADMIN_PORT))));
        return stage;
    }

    private static EgressStage defaults() throws Exception {
        return stage(EgressConfig.defaults());
    }

    private static EgressStage loopbackAllowed() throws Exception {
        return stage(new EgressConfig(true, List.of(), List.of(), List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"))));
    }

    private static Target connect(String authority) {
        return target(HostPort.parse(authority), Target.Kind.CONNECT);
    }

    private static Target target(HostPort destination, Target.Kind kind) {
        return new Target(new Connection(null, "127.0.0.1:1"), "app", destination, kind, kind == Target.Kind.CONNECT ? "CONNECT" : "GET",
                Exchanges.POLICY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:8080", "127.1:8080", "2130706433:8080", "0x7f.1:8080", "0177.0.0.1:8080", "0x7f000001:8080",
            "127.0.0.1.:8080", "0:8080", "0.0.0.0:8080", "[::1]:8080", "[::ffff:127.0.0.1]:8080", "[::ffff:7f00:1]:8080",
            "[0:0:0:0:0:0:0:1]:8080", "[::]:8080", "169.254.169.254:80", "[::ffff:169.254.169.254]:80", "[64:ff9b::a9fe:a9fe]:80",
            "[2002:a9fe:a9fe::1]:80", "10.1.2.3:80", "012.1.2.3:80", "172.16.0.1:80", "192.168.1.1:80", "100.64.0.1:80",
            "[fd00::1]:80", "[fe80::1]:80", "224.0.0.1:80", "255.255.255.255:80", "192.0.2.1:80", "[2001:db8::1]:80"})
    void everySpellingOfANonPublicAddressIsRefusedOnTheTargetWithNothingResolved(String authority) throws Exception {
        TargetDecision decision = defaults().onTarget(connect(authority));

        assertThat(decision.action()).isEqualTo(TargetDecision.Action.REFUSE);
        StageResult refusal = decision.refusal();
        assertThat(refusal.status().code()).isEqualTo(403);
        assertThat(refusal.proxyStatus()).isEqualTo("destination_ip_prohibited");
        assertThat(refusal.decision()).isEqualTo(Decision.DENIED);
        assertThat(refusal.reason()).contains("not in egress.allow_addresses");
    }

    @Test
    void theRefusalNamesTheAddressTheSpellingMeans() throws Exception {
        assertThat(defaults().onTarget(connect("0x7f.1:80")).refusal().reason()).startsWith("127.0.0.1 is loopback");
        assertThat(defaults().onTarget(connect("[::ffff:169.254.169.254]:80")).refusal().reason()).startsWith("169.254.169.254 is link-local");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.1:8080", "2130706433:8080", "0177.0.0.1:8080", "[::1]:8080", "[::ffff:127.0.0.1]:8080"})
    void allowAddressesOptsLoopbackInAgain(String authority) throws Exception {
        assertThat(loopbackAllowed().onTarget(connect(authority)).action()).isEqualTo(TargetDecision.Action.PROCEED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:18080", "127.0.0.1:18081", "127.1:18081", "2130706433:18080", "0:18081", "[::ffff:127.0.0.1]:18080"})
    void theDaemonsOwnEndpointsStayRefusedWhateverAllowAddressesSays(String authority) throws Exception {
        StageResult refusal = loopbackAllowed().onTarget(connect(authority)).refusal();

        assertThat(refusal).isNotNull();
        assertThat(refusal.proxyStatus()).isEqualTo("destination_ip_prohibited");
        assertThat(refusal.reason()).containsPattern("the daemon's own (proxy|admin) endpoint");
    }

    @Test
    void plainHttpTargetsAreJudgedLikeConnects() throws Exception {
        TargetDecision decision = defaults().onTarget(target(new HostPort("2130706433", 80), Target.Kind.HTTP));

        assertThat(decision.refusal().proxyStatus()).isEqualTo("destination_ip_prohibited");
    }

    @Test
    void namesAreLeftToTheAddressTheyResolveTo() throws Exception {
        EgressStage stage = defaults();
        Target localhost = connect("localhost:8080");

        assertThat(stage.onTarget(localhost).action()).isEqualTo(TargetDecision.Action.PROCEED);
        StageResult resolved = stage.onUpstreamAddress(localhost, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080));
        assertThat(resolved.status().code()).isEqualTo(403);
        assertThat(resolved.proxyStatus()).isEqualTo("destination_ip_prohibited");
        StageResult metadata = stage.onUpstreamAddress(connect("metadata.test:80"),
                new InetSocketAddress(InetAddress.getByName("169.254.169.254"), 80));
        assertThat(metadata.reason()).startsWith("metadata.test: 169.254.169.254 is link-local");
        assertThat(stage.onUpstreamAddress(connect("example.org:443"), new InetSocketAddress(InetAddress.getByName("93.184.216.34"), 443))
                .proceeds()).isTrue();
    }

    @Test
    void upstreamResolveEntriesAreTheOperatorsAndSkipTheAddressCheck() throws Exception {
        EgressStage stage = defaults();
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8443);

        assertThat(stage.onUpstreamAddress(connect("api.cloudflare.com:443"), loopback).proceeds()).isTrue();
        assertThat(stage.onTarget(connect("127.0.0.1:9443")).action()).isEqualTo(TargetDecision.Action.PROCEED);
        // Only the exact host and port the operator mapped.
        assertThat(stage.onUpstreamAddress(connect("api.cloudflare.com:8443"), loopback).proceeds()).isFalse();
        assertThat(stage.onTarget(connect("127.0.0.1:9444")).action()).isEqualTo(TargetDecision.Action.REFUSE);
    }

    @Test
    void hostRulesRefuseByNameWithTheirOwnErrorType() throws Exception {
        EgressStage stage = stage(new EgressConfig(false, List.of(HostPattern.parse("*.pypi.org:443"), HostPattern.parse("github.com")),
                List.of(HostPattern.parse("*.internal"), HostPattern.parse("api.cloudflare.com")), List.of()));

        assertThat(stage.onTarget(connect("files.pypi.org:443")).action()).isEqualTo(TargetDecision.Action.PROCEED);
        assertThat(stage.onTarget(connect("GitHub.com.:22")).action()).isEqualTo(TargetDecision.Action.PROCEED);
        StageResult notListed = stage.onTarget(connect("files.pypi.org:80")).refusal();
        assertThat(notListed.status().code()).isEqualTo(403);
        assertThat(notListed.proxyStatus()).isEqualTo("http_request_denied");
        assertThat(notListed.reason()).contains("not in egress.allow");
        // Deny wins, also over an upstream.resolve entry.
        assertThat(stage.onTarget(connect("db.internal:5432")).refusal().reason()).contains("egress.deny *.internal");
        assertThat(stage.onTarget(connect("api.cloudflare.com:443")).refusal().proxyStatus()).isEqualTo("http_request_denied");
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.1.1.1:80", "1.2.3.4.5:80", "08.1:80", "bad_%host:80", "[fe80::1%25eth0]:80"})
    void hostsNoParserShouldAcceptAreRefusedAs400(String authority) throws Exception {
        StageResult refusal = defaults().onTarget(connect(authority)).refusal();

        assertThat(refusal.status().code()).isEqualTo(400);
        assertThat(refusal.proxyStatus()).isEqualTo("http_request_error");
        assertThat(refusal.decision()).isEqualTo(Decision.DENIED);
    }

    @Test
    void requestsInAnInterceptedTunnelWereJudgedOnTheConnect() throws Exception {
        assertThat(defaults().onTarget(target(new HostPort("127.0.0.1", 443), Target.Kind.INTERCEPTED)).action())
                .isEqualTo(TargetDecision.Action.PROCEED);
    }

    @Test
    void untilItsOwnEndpointsAreKnownEveryAddressIsRefused() throws Exception {
        EgressStage starting = new EgressStage(EgressConfig.defaults(), Set.of(), Set::of);

        StageResult refusal = starting.onUpstreamAddress(connect("example.org:443"),
                new InetSocketAddress(InetAddress.getByName("93.184.216.34"), 443));
        assertThat(refusal.proceeds()).isFalse();
        assertThat(refusal.reason()).contains("starting");
    }
}
