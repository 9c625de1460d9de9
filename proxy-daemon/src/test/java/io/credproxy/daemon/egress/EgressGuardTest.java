package io.credproxy.daemon.egress;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole decision with a fake resolver: nothing here resolves a real name or opens a socket. */
class EgressGuardTest {
    private final List<String> lookups = new ArrayList<>();
    private Map<String, List<InetAddress>> dns = Map.of(
            "api.example.com", List.of(ip("93.184.216.34")),
            "localhost", List.of(ip("127.0.0.1"), ip("::1")),
            "metadata.google.internal", List.of(ip("169.254.169.254")),
            "rebind.example", List.of(ip("127.0.0.1"), ip("93.184.216.35")),
            "xn--bcher-kva.example", List.of(ip("93.184.216.36")),
            "nowhere.example", List.of());

    private static InetAddress ip(String literal) {
        return InetAddresses.forString(literal);
    }

    private EgressGuard guard(EgressConfig config, List<AddressPolicy.Endpoint> own) {
        EgressGuard.NameResolver resolver = name -> {
            lookups.add(name);
            List<InetAddress> out = dns.get(name);
            if (out == null) {
                throw new UnknownHostException(name);
            }
            return out;
        };
        return new EgressGuard(new EgressRules(config),
                new AddressPolicy(config.allowAddresses(), own, Set::of), resolver);
    }

    private EgressGuard guard() {
        return guard(EgressConfig.defaults(), List.of());
    }

    private static EgressDecision refusal(EgressGuard.Verdict v) {
        assertThat(v).isInstanceOf(EgressGuard.Verdict.Refuse.class);
        return ((EgressGuard.Verdict.Refuse) v).decision();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.1", "127.1", "0", "[::ffff:127.0.0.1]",
        "[::ffff:7f00:1]", "[::1]", "[::127.0.0.1]", "169.254.169.254", "0xa9fea9fe", "[64:ff9b::a9fe:a9fe]",
        "[2002:a9fe:a9fe::]", "10.1", "１２７。０。０。１", "127.0.0.1.", "localhost", "LOCALHOST.", "metadata.google.internal"})
    void refusesEverySpellingOfLocalAndMetadataDestinationsBeforeAnyConnect(String host) {
        EgressDecision d = refusal(guard().decide(host, 80));
        assertThat(d.status()).isEqualTo(403);
        assertThat(d.errorName()).isEqualTo(EgressDecision.DESTINATION_IP_PROHIBITED);
    }

    @Test
    void numericHostsAreNeverHandedToTheResolver() {
        guard().decide("2130706433", 80);
        guard().decide("0177.0.0.1", 80);
        guard().decide("[::1]", 80);
        assertThat(lookups).isEmpty();
    }

    @Test
    void connectsToExactlyTheAddressesItJudgedAfterOneLookup() {
        InetAddress judged = dns.get("api.example.com").get(0);
        EgressGuard.Verdict v = guard().decide("API.Example.COM.", 443);
        assertThat(v).isInstanceOf(EgressGuard.Verdict.Connect.class);
        EgressGuard.Verdict.Connect c = (EgressGuard.Verdict.Connect) v;
        assertThat(c.canonicalHost()).isEqualTo("api.example.com");
        InetSocketAddress target = c.addresses().get(0);
        assertThat(target.isUnresolved()).isFalse();
        assertThat(target.getAddress()).isSameAs(judged);
        assertThat(target.getPort()).isEqualTo(443);
        assertThat(lookups).containsExactly("api.example.com");
    }

    @Test
    void aNameResolvingToLoopbackAndPublicIsNarrowedToThePublicAddress() {
        EgressGuard.Verdict.Connect c = (EgressGuard.Verdict.Connect) guard().decide("rebind.example", 443);
        assertThat(c.addresses()).extracting(InetSocketAddress::getAddress).containsExactly(ip("93.184.216.35"));
    }

    @Test
    void aNameRefusedForItsAddressSaysWhichAddress() {
        EgressDecision d = refusal(guard().decide("metadata.google.internal", 80));
        assertThat(d.reason()).startsWith("metadata.google.internal: 169.254.169.254 is link-local");
    }

    @Test
    void unresolvableAndEmptyAnswersAre502DnsError() {
        EgressDecision d = refusal(guard().decide("unknown.example", 443));
        assertThat(d.status()).isEqualTo(502);
        assertThat(d.errorName()).isEqualTo("dns_error");
        assertThat(refusal(guard().decide("nowhere.example", 443)).errorName()).isEqualTo("dns_error");
    }

    @ParameterizedTest(name = "400 for \"{0}\"")
    @ValueSource(strings = {"256.1.1.1", "[fe80::1%25eth0]", "%31%32%37.0.0.1", "exa mple.com", "1.2.3.4.5", ""})
    void invalidHostsAre400AndNeverLookedUp(String host) {
        EgressDecision d = refusal(guard().decide(host, 80));
        assertThat(d.status()).isEqualTo(400);
        assertThat(d.errorName()).isEqualTo("http_request_error");
        assertThat(lookups).isEmpty();
    }

    @Test
    void hostRulesDecideBeforeTheLookupAndMatchEverySpellingOfTheName() {
        EgressConfig config = new EgressConfig(false, List.of(HostPattern.parse("api.example.com:443"),
                HostPattern.parse("*.example")), List.of(HostPattern.parse("bücher.example")), List.of());
        EgressGuard g = guard(config, List.of());
        assertThat(g.decide("api.example.com", 443)).isInstanceOf(EgressGuard.Verdict.Connect.class);
        EgressDecision wrongPort = refusal(g.decide("api.example.com", 80));
        assertThat(wrongPort.errorName()).isEqualTo("http_request_denied");
        assertThat(wrongPort.reason()).isEqualTo("api.example.com:80 is not in egress.allow (egress.default is deny)");
        for (String spelling : new String[] {"bücher.example", "BÜCHER.example.", "xn--bcher-kva.example", "XN--BCHER-KVA.EXAMPLE"}) {
            assertThat(refusal(g.decide(spelling, 443)).reason()).as(spelling).contains("matches egress.deny xn--bcher-kva.example");
        }
        assertThat(lookups).containsExactly("api.example.com");
    }

    @Test
    void anAllowedHostStillCannotReachAPrivateAddress() {
        EgressConfig config = new EgressConfig(false, List.of(HostPattern.parse("localhost")), List.of(), List.of());
        assertThat(refusal(guard(config, List.of()).decide("localhost", 80)).errorName())
                .isEqualTo(EgressDecision.DESTINATION_IP_PROHIBITED);
    }

    @Test
    void allowAddressesOpensARangeButNeverTheDaemonsOwnPorts() {
        EgressConfig config = new EgressConfig(true, List.of(), List.of(), List.of(Cidr.parse("127.0.0.0/8")));
        EgressGuard g = guard(config, List.of(new AddressPolicy.Endpoint("admin", new InetSocketAddress(ip("127.0.0.1"), 18081))));
        assertThat(g.decide("127.0.0.1", 8080)).isInstanceOf(EgressGuard.Verdict.Connect.class);
        assertThat(refusal(g.decide("2130706433", 18081)).reason()).contains("own admin endpoint");
        assertThat(refusal(g.decide("localhost", 18081)).reason()).contains("own admin endpoint");
    }
}
