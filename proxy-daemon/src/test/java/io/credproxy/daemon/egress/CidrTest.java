package io.credproxy.daemon.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.20.0.0/16, 10.20.0.0, true", "10.20.0.0/16, 10.20.255.255, true", "10.20.0.0/16, 10.21.0.0, false",
        "10.20.0.0/16, 10.19.255.255, false", "0.0.0.0/0, 8.8.8.8, true", "0.0.0.0/0, ::1, false",
        "127.0.0.1/32, 127.0.0.1, true", "127.0.0.1/32, 127.0.0.2, false",
        "172.16.0.0/12, 172.31.1.1, true", "172.16.0.0/12, 172.32.0.0, false",
        "fd00::/8, fd12::1, true", "fd00::/8, fc00::1, false", "::/0, 2001:db8::1, true", "::/0, 10.0.0.1, false",
        "2001:db8::/33, 2001:db8:7fff::1, true", "2001:db8::/33, 2001:db8:8000::1, false",
        "::1/128, ::1, true", "10.0.0.0/8, ::ffff:10.0.0.1, true"
    })
    void matchesByPrefix(String cidr, String address, boolean expected) {
        assertThat(Cidr.parse(cidr).contains(InetAddresses.forString(address))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "refused: {0}")
    @CsvSource(delimiter = '|', value = {
        "10.20.0.0|no prefix length", "10.20.1.0/16|bits are set past the /16 prefix (did you mean 10.20.0.0/16?)",
        "10.20.0.0/33|prefix length must be a number from 0 to 32", "fd00::/129|from 0 to 128",
        "10.20.0.0/-1|prefix length", "10.20.0.0/ 16|prefix length", "10.20.0.0/0x10|prefix length",
        "010.20.0.0/16|is not an IPv4 or IPv6 address", "10.20/16|is not an IPv4 or IPv6 address",
        "0x0a140000/16|is not an IPv4 or IPv6 address", "localhost/8|is not an IPv4 or IPv6 address",
        "fe80::%eth0/64|zone ids", "::ffff:10.0.0.0/104|write IPv4 ranges in IPv4 form",
        "/16|is not an IPv4 or IPv6 address", "fd00::1/8|bits are set past the /8 prefix (did you mean fd00::/8?)"
    })
    void parsesStrictlyAndNamesTheEntry(String text, String message) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'").hasMessageContaining(message);
    }

    @Test
    void refusesEmptyText() {
        assertThatThrownBy(() -> Cidr.parse(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void printsCanonicallyAndComparesByValue() {
        assertThat(Cidr.parse("2001:DB8:0::/32")).hasToString("2001:db8::/32").isEqualTo(Cidr.parse("2001:db8::/32"));
        assertThat(Cidr.parse(" 10.0.0.0/8 ")).hasToString("10.0.0.0/8");
        assertThat(Cidr.parse("10.0.0.0/8").isIpv4()).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").hashCode()).isEqualTo(Cidr.parse("10.0.0.0/8").hashCode());
    }
}
