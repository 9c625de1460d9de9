package io.credproxy.daemon.egress;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An address range, {@code 10.20.0.0/16} or {@code fd00::/8}, matched byte by byte.
 *
 * <p>{@link #parse} is strict because a typo in a range that opens internal networks should stop
 * the daemon, not open something else: the address must be a canonical literal (Guava's
 * {@link InetAddresses#forString}: no leading zeros, no short or numeric IPv4 forms, no zone id), the
 * prefix length is required and in range, and no bit may be set past the prefix ({@code 10.20.1.0/16}
 * is refused, as Python's {@code ip_network(strict=True)} does, because it is ambiguous). IPv4
 * ranges must be written as IPv4: an IPv4-mapped IPv6 spelling would silently become an IPv4 address
 * with a prefix length over 32.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses {@code address/length}.
     *
     * @throws IllegalArgumentException with a message that quotes the entry and says what is wrong
     */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty address range");
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + s + "' has no prefix length (write e.g. 10.20.0.0/16, or /32 for one address)");
        }
        String addressText = s.substring(0, slash);
        String lengthText = s.substring(slash + 1);
        if (addressText.contains("%")) {
            throw new IllegalArgumentException("'" + s + "': zone ids are not allowed in address ranges");
        }
        if (!InetAddresses.isInetAddress(addressText)) {
            throw new IllegalArgumentException("'" + s + "': '" + addressText + "' is not an IPv4 or IPv6 address");
        }
        InetAddress address = InetAddresses.forString(addressText);
        if (address instanceof Inet4Address && addressText.contains(":")) {
            throw new IllegalArgumentException("'" + s + "': write IPv4 ranges in IPv4 form, not as IPv4-mapped IPv6");
        }
        byte[] bytes = address.getAddress();
        int max = bytes.length * 8;
        if (!lengthText.matches("[0-9]{1,3}") || Integer.parseInt(lengthText) > max) {
            throw new IllegalArgumentException("'" + s + "': prefix length must be a number from 0 to " + max);
        }
        int length = Integer.parseInt(lengthText);
        byte[] masked = mask(bytes, length);
        if (!Arrays.equals(masked, bytes)) {
            throw new IllegalArgumentException("'" + s + "': bits are set past the /" + length + " prefix (did you mean "
                    + InetAddresses.toAddrString(addressOf(masked)) + "/" + length + "?)");
        }
        return new Cidr(masked, length);
    }

    /** Whether {@code address} lies in this range; IPv4 ranges hold only IPv4 addresses and likewise for IPv6. */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.length && Arrays.equals(mask(bytes, prefixLength), network);
    }

    public int prefixLength() {
        return prefixLength;
    }

    public boolean isIpv4() {
        return network.length == 4;
    }

    private static byte[] mask(byte[] bytes, int length) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, length - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - keep)));
        }
        return out;
    }

    private static InetAddress addressOf(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes); // bytes only: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    /** Canonical {@code address/length}. */
    @Override
    public String toString() {
        return InetAddresses.toAddrString(addressOf(network)) + "/" + prefixLength;
    }
}
