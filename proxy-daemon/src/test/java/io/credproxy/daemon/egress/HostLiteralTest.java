package io.credproxy.daemon.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostLiteralTest {

    @ParameterizedTest(name = "{0} means {1}")
    @CsvSource(delimiter = '|', value = {
        // every spelling of loopback a hostile workload tries
        "127.0.0.1|127.0.0.1", "2130706433|127.0.0.1", "0177.0.0.1|127.0.0.1", "0x7f.1|127.0.0.1",
        "0X7F.0X0.0X0.0X1|127.0.0.1", "0x7f000001|127.0.0.1", "017700000001|127.0.0.1", "127.1|127.0.0.1",
        "127.0.1|127.0.0.1", "127.0.0.1.|127.0.0.1", "0000127.0.0.1|87.0.0.1", "0177.0000.0.01|127.0.0.1",
        "0|0.0.0.0", "0x|0.0.0.0", "0.0.0.0|0.0.0.0", "00|0.0.0.0",
        "[::1]|::1", "::1|::1", "[::ffff:127.0.0.1]|127.0.0.1", "[::ffff:7f00:1]|127.0.0.1",
        "[0:0:0:0:0:ffff:7f00:1]|127.0.0.1", "[::127.0.0.1]|::7f00:1", "[0::1]|::1", "[0000:0000::0001]|::1",
        "[::FFFF:A9FE:A9FE]|169.254.169.254", "[FE80::1]|fe80::1",
        // metadata and private addresses
        "169.254.169.254|169.254.169.254", "0xa9fea9fe|169.254.169.254", "2852039166|169.254.169.254",
        "0251.0376.0251.0376|169.254.169.254", "169.254.43518|169.254.169.254", "10.1|10.0.0.1", "012.1|10.0.0.1",
        "192.168.257|192.168.1.1",
        // full-width digits and ideographic full stops are the same numbers after IDNA mapping
        "１２７。０。０。１|127.0.0.1", "127．0．0．1|127.0.0.1",
        // an ordinary public address stays itself
        "8.8.8.8|8.8.8.8", "255.255.255.255|255.255.255.255", "4294967295|255.255.255.255"
    })
    void readsEveryNumericSpellingAsTheAddressItMeans(String host, String address) throws Exception {
        HostLiteral literal = HostLiteral.parse(host);
        assertThat(literal).isInstanceOf(HostLiteral.Address.class);
        assertThat(literal.canonical()).isEqualTo(address);
    }

    @Test
    void ipv4MappedLiteralsBecomeIpv4Addresses() throws Exception {
        HostLiteral.Address a = (HostLiteral.Address) HostLiteral.parse("[::ffff:10.0.0.1]");
        assertThat(a.address()).isInstanceOf(Inet4Address.class);
    }

    @ParameterizedTest(name = "{0} is the name {1}")
    @CsvSource(delimiter = '|', value = {
        "example.com|example.com", "EXAMPLE.COM|example.com", "Example.Com.|example.com",
        "localhost|localhost", "LOCALHOST.|localhost", "metadata.google.internal|metadata.google.internal",
        "bücher.example|xn--bcher-kva.example", "BÜCHER.example.|xn--bcher-kva.example",
        "XN--BCHER-KVA.example|xn--bcher-kva.example", "ｅｘａｍｐｌｅ.com|example.com",
        "1.2.3.com|1.2.3.com", "0x7f.example|0x7f.example", "_service.example.com|_service.example.com",
        "a-b.c|a-b.c", "127.0.0.1.nip.io|127.0.0.1.nip.io"
    })
    void normalisesNames(String host, String name) throws Exception {
        HostLiteral literal = HostLiteral.parse(host);
        assertThat(literal).isInstanceOf(HostLiteral.Name.class);
        assertThat(literal.canonical()).isEqualTo(name);
    }

    @ParameterizedTest(name = "invalid: \"{0}\"")
    @ValueSource(strings = {
        "", ".", "..", "256.1.1.1", "1.2.3.4.5", "1.2.3.256", "1.2.65536", "1.16777216", "4294967296", "08.1", "0.09",
        "0x7g.1", "+1.1", "-1.1", "1..2", "1.2.3.4..", "99999999999999999999", "0x1ffffffffffffffff",
        "[fe80::1%25eth0]", "fe80::1%eth0", "[::1%lo]", "[::1", "::1]", "[127.0.0.1]", "[localhost]", "[]",
        "[::g]", "1:2:3", "[1::2::3]", "%31%32%37.0.0.1", "exa mple.com", "example..com", "-example.com",
        "example-.com", "ex*ample.com", "a/b", "a\\b", "user@host", "\u0000", "host\r\nX-Injected: 1",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com"
    })
    void refusesWhatNoClientShouldSend(String host) {
        assertThatThrownBy(() -> HostLiteral.parse(host)).isInstanceOf(InvalidHostException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(host.isEmpty() ? "\u0001" : host));
    }

    @Test
    void refusesNullAndOverlongHosts() {
        assertThatThrownBy(() -> HostLiteral.parse(null)).isInstanceOf(InvalidHostException.class);
        assertThatThrownBy(() -> HostLiteral.parse("a.".repeat(127) + "com")).isInstanceOf(InvalidHostException.class);
    }
}
