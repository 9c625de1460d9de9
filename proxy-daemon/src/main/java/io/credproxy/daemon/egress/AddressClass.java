package io.credproxy.daemon.egress;

/**
 * What kind of address a destination is, by the IANA special-purpose registries.
 *
 * <p>Every class but {@link #PUBLIC} is refused as a destination unless the operator opts its
 * range in with {@code egress.allow_addresses}. Each constant names the document that defines it,
 * so a refusal can say why.
 */
public enum AddressClass {
    /** Globally reachable unicast: not covered by any entry below (or an entry marked globally reachable). */
    PUBLIC("public", ""),
    /** 0.0.0.0/8 ("this network", RFC 791 section 3.2) and ::/128; connecting to it reaches this host. */
    UNSPECIFIED("unspecified (this host)", "RFC 1122"),
    LOOPBACK("loopback", "RFC 1122, RFC 4291"),
    /** 10/8, 172.16/12, 192.168/16 and IPv6 unique-local fc00::/7. */
    PRIVATE("private-use", "RFC 1918, RFC 4193"),
    /** 100.64/10, carrier-grade NAT. */
    SHARED("shared address space (CGNAT)", "RFC 6598"),
    /** 169.254/16 (where cloud metadata services live) and fe80::/10. */
    LINK_LOCAL("link-local", "RFC 3927, RFC 4291"),
    /** fec0::/10, deprecated but still routed by some stacks. */
    SITE_LOCAL("site-local", "RFC 3879"),
    /** 192.0.0/24 and 2001::/23, less their globally reachable service addresses. */
    IETF_PROTOCOL("IETF protocol assignment", "RFC 6890, RFC 2928"),
    /** 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20. */
    DOCUMENTATION("documentation", "RFC 5737, RFC 3849, RFC 9637"),
    /** 198.18/15 and 2001:2::/48. */
    BENCHMARKING("benchmarking", "RFC 2544, RFC 5180"),
    /** 224/4 and ff00::/8. */
    MULTICAST("multicast", "RFC 5771, RFC 4291"),
    /** 255.255.255.255. */
    BROADCAST("limited broadcast", "RFC 919, RFC 8190"),
    /** 240/4, deprecated and discard-only prefixes, SRv6 SIDs, IPv6 outside the allocated 2000::/3. */
    RESERVED("reserved", "RFC 1112, RFC 7526, RFC 6666, RFC 9602, RFC 4291"),
    /** 2001::/32: the client's IPv4 address is hidden (XOR'd) in the address; refused outright. */
    TEREDO("Teredo tunnel", "RFC 4380"),
    /** 64:ff9b:1::/48, a NAT64 prefix for one network only; where the IPv4 address sits depends on its length. */
    LOCAL_TRANSLATION("local-use IPv4/IPv6 translation", "RFC 8215");

    private final String description;
    private final String reference;

    AddressClass(String description, String reference) {
        this.description = description;
        this.reference = reference;
    }

    /** Lower-case words for messages ({@code link-local}). */
    public String description() {
        return description;
    }

    /** The defining documents, for messages ({@code RFC 3927, RFC 4291}); empty for {@link #PUBLIC}. */
    public String reference() {
        return reference;
    }
}
