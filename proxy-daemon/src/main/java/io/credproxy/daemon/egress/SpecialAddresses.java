package io.credproxy.daemon.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Classifies an address by IANA's special-purpose registries, judging IPv4-embedding IPv6
 * spellings by the IPv4 address they carry.
 *
 * <p>Sources, as of 2026: the IANA IPv4 Special-Purpose Address Registry
 * (https://www.iana.org/assignments/iana-ipv4-special-registry/) and IPv6 Special-Purpose Address
 * Registry (https://www.iana.org/assignments/iana-ipv6-special-registry/), RFC 6890 for their
 * meaning; the IPv4 Multicast Address Space Registry (224/4) and the IPv6 Address Space Registry
 * (https://www.iana.org/assignments/ipv6-address-space/: only 2000::/3 is allocated as global
 * unicast; ff00::/8 multicast; fec0::/10 deprecated site-local). An entry the registry marks
 * "Globally Reachable: True" inside a refused block (PCP and TURN anycast 192.0.0.9 and .10, AMT,
 * AS112, ORCHIDv2, DETs) is {@link AddressClass#PUBLIC}, as Python's {@code ipaddress.is_global} does.
 *
 * <p>IPv4 inside IPv6: IPv4-mapped {@code ::ffff:a.b.c.d} (RFC 4291), IPv4-compatible
 * {@code ::a.b.c.d} (deprecated, RFC 4291 section 2.5.5.1), IPv4-translated {@code ::ffff:0:a.b.c.d}
 * (RFC 2765), 6to4 {@code 2002:aabb:ccdd::/48} (RFC 3056) and the NAT64 well-known prefix
 * {@code 64:ff9b::/96} (RFC 6052) take the class of the embedded address: {@code 64:ff9b::a9fe:a9fe}
 * is link-local. Two are refused outright instead: Teredo (2001::/32, RFC 4380), whose client
 * address is XOR'd into the last 32 bits and which no API is served from (and a Teredo relay on
 * the path could reach the local network), and the local-use NAT64 prefix 64:ff9b:1::/48
 * (RFC 8215), where the IPv4 address sits at an offset that depends on the operator's prefix length,
 * so no offset can be trusted.
 */
public final class SpecialAddresses {

    /** The class of an address and, for an embedding spelling, the IPv4 address that decided it. */
    public record Classification(AddressClass addressClass, InetAddress embeddedIpv4, String embedding) {
        public boolean isPublic() {
            return addressClass == AddressClass.PUBLIC;
        }
    }

    private record Entry(Cidr range, AddressClass addressClass) {}

    // Most specific first: the first entry that contains the address decides.
    private static final List<Entry> IPV4 = List.of(
            entry("192.0.0.9/32", AddressClass.PUBLIC),           // PCP anycast, RFC 7723
            entry("192.0.0.10/32", AddressClass.PUBLIC),          // TURN anycast, RFC 8155
            entry("255.255.255.255/32", AddressClass.BROADCAST),
            entry("0.0.0.0/8", AddressClass.UNSPECIFIED),
            entry("10.0.0.0/8", AddressClass.PRIVATE),
            entry("100.64.0.0/10", AddressClass.SHARED),
            entry("127.0.0.0/8", AddressClass.LOOPBACK),
            entry("169.254.0.0/16", AddressClass.LINK_LOCAL),
            entry("172.16.0.0/12", AddressClass.PRIVATE),
            entry("192.0.0.0/24", AddressClass.IETF_PROTOCOL),
            entry("192.0.2.0/24", AddressClass.DOCUMENTATION),
            entry("192.88.99.0/24", AddressClass.RESERVED),       // deprecated 6to4 relay anycast, RFC 7526
            entry("192.168.0.0/16", AddressClass.PRIVATE),
            entry("198.18.0.0/15", AddressClass.BENCHMARKING),
            entry("198.51.100.0/24", AddressClass.DOCUMENTATION),
            entry("203.0.113.0/24", AddressClass.DOCUMENTATION),
            entry("224.0.0.0/4", AddressClass.MULTICAST),
            entry("240.0.0.0/4", AddressClass.RESERVED));

    private static final List<Entry> IPV6 = List.of(
            entry("::/128", AddressClass.UNSPECIFIED),
            entry("::1/128", AddressClass.LOOPBACK),
            entry("64:ff9b:1::/48", AddressClass.LOCAL_TRANSLATION),
            entry("100::/64", AddressClass.RESERVED),              // discard-only, RFC 6666
            entry("100:0:0:1::/64", AddressClass.RESERVED),        // dummy prefix, RFC 9780
            entry("2001:1::1/128", AddressClass.PUBLIC),           // PCP anycast
            entry("2001:1::2/128", AddressClass.PUBLIC),           // TURN anycast
            entry("2001:1::3/128", AddressClass.PUBLIC),           // DNS-SD SRP anycast, RFC 9665
            entry("2001:3::/32", AddressClass.PUBLIC),             // AMT, RFC 7450
            entry("2001:4:112::/48", AddressClass.PUBLIC),         // AS112-v6, RFC 7535
            entry("2001:20::/28", AddressClass.PUBLIC),            // ORCHIDv2, RFC 7343
            entry("2001:30::/28", AddressClass.PUBLIC),            // DETs, RFC 9374
            entry("2001::/32", AddressClass.TEREDO),
            entry("2001:2::/48", AddressClass.BENCHMARKING),
            entry("2001:10::/28", AddressClass.RESERVED),          // deprecated ORCHID, RFC 4843
            entry("2001::/23", AddressClass.IETF_PROTOCOL),
            entry("2001:db8::/32", AddressClass.DOCUMENTATION),
            entry("3fff::/20", AddressClass.DOCUMENTATION),
            entry("5f00::/16", AddressClass.RESERVED),             // SRv6 SIDs, RFC 9602
            entry("fc00::/7", AddressClass.PRIVATE),
            entry("fe80::/10", AddressClass.LINK_LOCAL),
            entry("fec0::/10", AddressClass.SITE_LOCAL),
            entry("ff00::/8", AddressClass.MULTICAST));

    private static final Cidr GLOBAL_UNICAST = Cidr.parse("2000::/3");

    private SpecialAddresses() {}

    /** The class of {@code address}; never throws. */
    public static Classification classify(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return new Classification(lookup(IPV4, address, AddressClass.PUBLIC), null, null);
        }
        String embedding = embedding(b);
        if (embedding != null) {
            InetAddress v4 = ipv4(b, embedding.equals("6to4") ? 2 : 12);
            AddressClass inner = lookup(IPV4, v4, AddressClass.PUBLIC);
            return new Classification(inner, v4, embedding);
        }
        AddressClass outer = GLOBAL_UNICAST.contains(address) ? AddressClass.PUBLIC : AddressClass.RESERVED;
        return new Classification(lookup(IPV6, address, outer), null, null);
    }

    /** Which IPv4-embedding form a 16-byte address is, or {@code null}. */
    private static String embedding(byte[] b) {
        if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return "IPv4-mapped";
        }
        if (zero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && zero(b, 10, 12)) {
            return "IPv4-translated";
        }
        if (zero(b, 0, 12) && !(zero(b, 12, 15) && (b[15] == 0 || b[15] == 1))) {
            return "IPv4-compatible"; // ::/96 less :: and ::1, which the table classifies
        }
        if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && zero(b, 4, 12)) {
            return "NAT64";
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return "6to4";
        }
        return null;
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static AddressClass lookup(List<Entry> table, InetAddress address, AddressClass otherwise) {
        for (Entry e : table) {
            if (e.range().contains(address)) {
                return e.addressClass();
            }
        }
        return otherwise;
    }

    private static InetAddress ipv4(byte[] b, int offset) {
        try {
            return InetAddress.getByAddress(new byte[] {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    private static Entry entry(String cidr, AddressClass addressClass) {
        return new Entry(Cidr.parse(cidr), addressClass);
    }
}
