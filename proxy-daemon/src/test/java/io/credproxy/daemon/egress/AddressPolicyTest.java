package io.credproxy.daemon.egress;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {
    private static final InetAddress LAN = InetAddresses.forString("10.20.0.5");

    private static InetAddress ip(String literal) {
        return InetAddresses.forString(literal);
    }

    private static AddressPolicy.Endpoint endpoint(String role, String address, int port) {
        return new AddressPolicy.Endpoint(role, new InetSocketAddress(ip(address), port));
    }

    private static AddressPolicy policy(List<String> allow, List<AddressPolicy.Endpoint> own) {
        return new AddressPolicy(allow.stream().map(Cidr::parse).toList(), own, () -> Set.of(LAN, ip("fd00::5")));
    }

    @ParameterizedTest(name = "refuses {0}")
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "::1", "169.254.169.254", "fe80::1", "10.0.0.1", "172.16.0.1",
        "192.168.1.1", "fd00::1", "100.64.0.1", "0.0.0.0", "::", "224.0.0.1", "ff02::1", "255.255.255.255",
        "192.0.2.1", "2001:db8::1", "198.18.0.1", "192.0.0.1", "fec0::1", "240.0.0.1", "::ffff:0:7f00:1",
        "2002:a9fe:a9fe::1", "64:ff9b::a9fe:a9fe", "::169.254.169.254", "2001::1", "64:ff9b:1::a9fe:a9fe", "4000::1"})
    void refusesEverySpecialClassByDefault(String address) {
        EgressDecision d = policy(List.of(), List.of()).check(ip(address), 443);
        assertThat(d.allowed()).isFalse();
        assertThat(d.status()).isEqualTo(403);
        assertThat(d.errorName()).isEqualTo("destination_ip_prohibited");
        assertThat(d.reason()).contains(InetAddresses.toAddrString(ip(address))).contains("not in egress.allow_addresses");
    }

    @Test
    void reasonsNameTheClassTheEmbeddingAndTheRfc() {
        assertThat(policy(List.of(), List.of()).check(ip("169.254.169.254"), 80).reason())
                .isEqualTo("169.254.169.254 is link-local (RFC 3927, RFC 4291) and not in egress.allow_addresses");
        assertThat(policy(List.of(), List.of()).check(ip("64:ff9b::7f00:1"), 80).reason())
                .isEqualTo("64:ff9b::7f00:1 (NAT64 spelling of 127.0.0.1) is loopback (RFC 1122, RFC 4291) and not in egress.allow_addresses");
    }

    @ParameterizedTest(name = "allows {0}")
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "2606:4700::1111", "2002:808:808::1", "64:ff9b::808:808", "192.0.0.9"})
    void allowsPublicAddresses(String address) {
        assertThat(policy(List.of(), List.of()).check(ip(address), 443).allowed()).isTrue();
    }

    @Test
    void allowAddressesOptsInOnlyTheRangeItNames() {
        AddressPolicy p = policy(List.of("10.20.0.0/16", "127.0.0.0/8", "fd00:1::/32"), List.of());
        assertThat(p.check(ip("10.20.3.4"), 443).allowed()).isTrue();
        assertThat(p.check(ip("10.21.0.1"), 443).allowed()).isFalse();
        assertThat(p.check(ip("127.0.0.1"), 8080).allowed()).isTrue();
        assertThat(p.check(ip("fd00:1::9"), 443).allowed()).isTrue();
        assertThat(p.check(ip("fd00:2::9"), 443).allowed()).isFalse();
        // The range opens the address as connected, not its other spellings.
        assertThat(p.check(ip("64:ff9b::a14:304"), 443).allowed()).isFalse();
        assertThat(p.check(ip("2002:a14:304::1"), 443).allowed()).isFalse();
        assertThat(p.check(ip("169.254.169.254"), 80).allowed()).isFalse();
    }

    @Test
    void theDaemonsOwnEndpointsAreNeverReachableEvenWhenTheirRangeIsOptedIn() {
        AddressPolicy p = policy(List.of("127.0.0.0/8", "0.0.0.0/8", "::/0", "10.0.0.0/8"),
                List.of(endpoint("proxy", "127.0.0.1", 18080), endpoint("admin", "127.0.0.1", 18081)));
        EgressDecision admin = p.check(ip("127.0.0.1"), 18081);
        assertThat(admin.allowed()).isFalse();
        assertThat(admin.errorName()).isEqualTo("destination_ip_prohibited");
        assertThat(admin.reason()).isEqualTo("127.0.0.1 port 18081 is the daemon's own admin endpoint");
        assertThat(p.check(ip("127.0.0.1"), 18080).reason()).contains("own proxy endpoint");
        assertThat(p.check(ip("::ffff:127.0.0.1"), 18080).allowed()).isFalse();
        assertThat(p.check(ip("0.0.0.0"), 18081).allowed()).as("0.0.0.0 connects to this host").isFalse();
        assertThat(p.check(ip("::"), 18081).allowed()).isFalse();
        // Other ports and other loopback addresses on these ports reach other things, opted in.
        assertThat(p.check(ip("127.0.0.1"), 18082).allowed()).isTrue();
        assertThat(p.check(ip("127.0.0.2"), 18081).allowed()).isTrue();
    }

    @Test
    void aWildcardEndpointIsReachedThroughEveryLocalAddressOnItsPort() {
        AtomicInteger lookups = new AtomicInteger();
        AddressPolicy p = new AddressPolicy(List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")),
                List.of(endpoint("admin", "0.0.0.0", 18081), endpoint("proxy", "::", 18080)),
                () -> {
                    lookups.incrementAndGet();
                    return Set.of(LAN, ip("fd00::5"));
                });
        for (String local : new String[] {"127.0.0.1", "127.9.9.9", "::1", "0.0.0.0", "::", "10.20.0.5", "fd00::5"}) {
            assertThat(p.check(ip(local), 18081).allowed()).as(local + ":18081").isFalse();
            assertThat(p.check(ip(local), 18080).allowed()).as(local + ":18080").isFalse();
        }
        assertThat(p.check(ip("10.20.0.6"), 18081).allowed()).as("another machine").isTrue();
        int before = lookups.get();
        assertThat(p.check(ip("10.20.0.5"), 443).allowed()).as("a local address on another port").isTrue();
        assertThat(lookups.get()).as("interfaces are read only for our own ports").isEqualTo(before);
    }

    @Test
    void theSystemsLocalAddressesIncludeLoopback() {
        assertThat(AddressPolicy.LocalAddresses.system().current()).anyMatch(InetAddress::isLoopbackAddress);
    }

    @Test
    void refusesUnresolvedOwnEndpoints() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new AddressPolicy.Endpoint("proxy", InetSocketAddress.createUnresolved("localhost", 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
