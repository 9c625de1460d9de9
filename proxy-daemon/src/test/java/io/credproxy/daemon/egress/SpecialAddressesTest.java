package io.credproxy.daemon.egress;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecialAddressesTest {

    private static AddressClass classOf(String literal) {
        return SpecialAddresses.classify(InetAddresses.forString(literal)).addressClass();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        // IPv4, every block of the IANA special-purpose registry, at both ends
        "0.0.0.0, UNSPECIFIED", "0.255.255.255, UNSPECIFIED",
        "10.0.0.0, PRIVATE", "10.255.255.255, PRIVATE",
        "100.64.0.0, SHARED", "100.127.255.255, SHARED", "100.63.255.255, PUBLIC", "100.128.0.0, PUBLIC",
        "127.0.0.1, LOOPBACK", "127.255.255.254, LOOPBACK", "127.1.2.3, LOOPBACK",
        "169.254.169.254, LINK_LOCAL", "169.254.0.0, LINK_LOCAL", "169.255.0.0, PUBLIC",
        "172.16.0.0, PRIVATE", "172.31.255.255, PRIVATE", "172.15.255.255, PUBLIC", "172.32.0.0, PUBLIC",
        "192.0.0.0, IETF_PROTOCOL", "192.0.0.8, IETF_PROTOCOL", "192.0.0.170, IETF_PROTOCOL", "192.0.0.255, IETF_PROTOCOL",
        "192.0.0.9, PUBLIC", "192.0.0.10, PUBLIC",
        "192.0.2.1, DOCUMENTATION", "198.51.100.7, DOCUMENTATION", "203.0.113.255, DOCUMENTATION",
        "192.88.99.1, RESERVED",
        "192.168.0.1, PRIVATE", "192.168.255.255, PRIVATE", "192.169.0.0, PUBLIC",
        "198.18.0.0, BENCHMARKING", "198.19.255.255, BENCHMARKING", "198.20.0.0, PUBLIC",
        "224.0.0.1, MULTICAST", "239.255.255.255, MULTICAST",
        "240.0.0.1, RESERVED", "255.255.255.254, RESERVED", "255.255.255.255, BROADCAST",
        "8.8.8.8, PUBLIC", "1.1.1.1, PUBLIC", "93.184.216.34, PUBLIC",
        // IPv6 registry
        "::, UNSPECIFIED", "::1, LOOPBACK",
        "fe80::1, LINK_LOCAL", "febf:ffff::1, LINK_LOCAL",
        "fc00::1, PRIVATE", "fd12:3456::1, PRIVATE",
        "fec0::1, SITE_LOCAL", "feff::1, SITE_LOCAL",
        "ff02::1, MULTICAST", "ff0e::1, MULTICAST",
        "2001:db8::1, DOCUMENTATION", "3fff::1, DOCUMENTATION", "3fff:fff::1, DOCUMENTATION",
        "2001:2::1, BENCHMARKING",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2, TEREDO", "2001::1, TEREDO",
        "2001:1::1, PUBLIC", "2001:1::2, PUBLIC", "2001:1::4, IETF_PROTOCOL", "2001:4:112::1, PUBLIC",
        "2001:3::1, PUBLIC", "2001:20::1, PUBLIC", "2001:10::1, RESERVED", "2001:1ff::1, IETF_PROTOCOL",
        "100::1, RESERVED", "100:0:0:1::1, RESERVED", "5f00::1, RESERVED",
        "64:ff9b:1::a00:1, LOCAL_TRANSLATION", "64:ff9b:1:ffff::808:808, LOCAL_TRANSLATION",
        "4000::1, RESERVED", "::2:0:0:1, RESERVED", "c000::1, RESERVED",
        "2606:4700::1111, PUBLIC", "2a00:1450:4001::200e, PUBLIC", "2001:200::1, PUBLIC"
    })
    void classifiesByTheIanaRegistries(String address, AddressClass expected) {
        assertThat(classOf(address)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} embeds {2}: {1}")
    @CsvSource({
        // IPv4-compatible ::a.b.c.d (deprecated) and its hex spelling
        "::127.0.0.1, LOOPBACK, 127.0.0.1, IPv4-compatible",
        "::7f00:1, LOOPBACK, 127.0.0.1, IPv4-compatible",
        "::169.254.169.254, LINK_LOCAL, 169.254.169.254, IPv4-compatible",
        "::10.0.0.1, PRIVATE, 10.0.0.1, IPv4-compatible",
        "::0.0.0.2, UNSPECIFIED, 0.0.0.2, IPv4-compatible",
        "::8.8.8.8, PUBLIC, 8.8.8.8, IPv4-compatible",
        // IPv4-translated ::ffff:0:a.b.c.d (SIIT)
        "::ffff:0:127.0.0.1, LOOPBACK, 127.0.0.1, IPv4-translated",
        "::ffff:0:a9fe:a9fe, LINK_LOCAL, 169.254.169.254, IPv4-translated",
        "::ffff:0:8.8.8.8, PUBLIC, 8.8.8.8, IPv4-translated",
        // 6to4 2002:AABB:CCDD::/48
        "2002:7f00:1::1, LOOPBACK, 127.0.0.1, 6to4",
        "2002:a9fe:a9fe::, LINK_LOCAL, 169.254.169.254, 6to4",
        "2002:c0a8:101:1::1, PRIVATE, 192.168.1.1, 6to4",
        "2002:6440:1::1, SHARED, 100.64.0.1, 6to4",
        "2002:ffff:ffff::1, BROADCAST, 255.255.255.255, 6to4",
        "2002:808:808::1, PUBLIC, 8.8.8.8, 6to4",
        // NAT64 well-known prefix 64:ff9b::/96
        "64:ff9b::127.0.0.1, LOOPBACK, 127.0.0.1, NAT64",
        "64:ff9b::a9fe:a9fe, LINK_LOCAL, 169.254.169.254, NAT64",
        "64:ff9b::a00:1, PRIVATE, 10.0.0.1, NAT64",
        "64:ff9b::e000:1, MULTICAST, 224.0.0.1, NAT64",
        "64:ff9b::c000:201, DOCUMENTATION, 192.0.2.1, NAT64",
        "64:ff9b::808:808, PUBLIC, 8.8.8.8, NAT64"
    })
    void judgesIpv4EmbeddingSpellingsByTheEmbeddedAddress(String address, AddressClass expected, String embedded, String form) {
        SpecialAddresses.Classification c = SpecialAddresses.classify(InetAddresses.forString(address));
        assertThat(c.addressClass()).isEqualTo(expected);
        assertThat(InetAddresses.toAddrString(c.embeddedIpv4())).isEqualTo(embedded);
        assertThat(c.embedding()).isEqualTo(form);
    }

    @Test
    void ipv4MappedIsJudgedAsItsIpv4AddressEvenWhenKeptAsAnInet6Address() throws Exception {
        // InetAddress.getByAddress turns ::ffff:a.b.c.d into an Inet4Address; Inet6Address.getByAddress keeps it.
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 169, (byte) 254, (byte) 169, (byte) 254};
        InetAddress kept = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(kept).isInstanceOf(Inet6Address.class);
        SpecialAddresses.Classification c = SpecialAddresses.classify(kept);
        assertThat(c.addressClass()).isEqualTo(AddressClass.LINK_LOCAL);
        assertThat(c.embedding()).isEqualTo("IPv4-mapped");

        byte[] mappedLoopback = mapped.clone();
        mappedLoopback[12] = 127;
        mappedLoopback[13] = 0;
        mappedLoopback[14] = 0;
        mappedLoopback[15] = 1;
        assertThat(SpecialAddresses.classify(Inet6Address.getByAddress(null, mappedLoopback, -1)).addressClass())
                .isEqualTo(AddressClass.LOOPBACK);
        assertThat(SpecialAddresses.classify(InetAddress.getByAddress(mappedLoopback)).addressClass())
                .isEqualTo(AddressClass.LOOPBACK);
    }

    @Test
    void everyLoopbackAndPrivateAddressInTheFirstOctetsIsRefusedNotJustTheFamousOnes() throws Exception {
        for (int i = 0; i < 256; i++) {
            assertThat(SpecialAddresses.classify(InetAddress.getByAddress(new byte[] {127, (byte) i, (byte) (255 - i), 1})).addressClass())
                    .isEqualTo(AddressClass.LOOPBACK);
            assertThat(SpecialAddresses.classify(InetAddress.getByAddress(new byte[] {10, (byte) i, 0, (byte) i})).addressClass())
                    .isEqualTo(AddressClass.PRIVATE);
            assertThat(SpecialAddresses.classify(InetAddress.getByAddress(new byte[] {(byte) 169, (byte) 254, (byte) i, 1})).addressClass())
                    .isEqualTo(AddressClass.LINK_LOCAL);
        }
    }

    @Test
    void everyAddressClassIsReachableFromTheTables() {
        // A class no address maps to would be dead code or a missing table entry.
        java.util.Set<AddressClass> seen = java.util.EnumSet.noneOf(AddressClass.class);
        for (String a : new String[] {"8.8.8.8", "0.0.0.0", "127.0.0.1", "10.0.0.1", "100.64.0.1", "169.254.0.1", "fec0::1",
                "192.0.0.1", "192.0.2.1", "198.18.0.1", "224.0.0.1", "255.255.255.255", "240.0.0.1", "2001::1", "64:ff9b:1::1"}) {
            seen.add(classOf(a));
        }
        assertThat(seen).containsExactlyInAnyOrder(AddressClass.values());
    }
}
