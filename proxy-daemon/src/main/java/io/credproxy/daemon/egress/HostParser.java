package io.credproxy.daemon.egress;

import com.google.common.net.InetAddresses;
import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How {@link HostLiteral#parse} reads a host.
 *
 * <ol>
 *   <li>Brackets must hold an IPv6 address; any host with a colon is one. IPv6 is parsed by Guava
 *       (no lookup); {@code ::ffff:a.b.c.d} becomes the IPv4 address. Zone ids
 *       ({@code fe80::1%25eth0}) are invalid: they only name a local link.
 *   <li>Non-ASCII text is converted with IDNA ({@link IDN#toASCII}), which also maps full-width
 *       digits and ideographic full stops ({@code １２７。０。０。１}) to ASCII, so they take the
 *       numeric path below like their ASCII forms. Then lower case and one trailing dot removed.
 *   <li>When the last label is a number (digits, or {@code 0x} hex), the host must be an IPv4
 *       address in inet_aton's reading: one to four parts, each decimal, octal with a leading
 *       {@code 0} or hex with {@code 0x}, the last part filling the remaining bytes. Otherwise it is
 *       invalid ({@code 256.1.1.1}, {@code 1.2.3.4.5}, {@code 08.1}, {@code +1.1}), as in the URL
 *       standard, rather than a name to look up.
 *   <li>Anything else is a name of LDH labels (underscore allowed, as in rules), 1-63 characters
 *       each, 253 in all. Percent signs, spaces and empty labels are invalid.
 * </ol>
 */
final class HostParser {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
    private static final Pattern NUMERIC_PART = Pattern.compile("[0-9]+|0x[0-9a-f]*");

    private HostParser() {}

    static HostLiteral parse(String host) throws InvalidHostException {
        if (host == null || host.isEmpty() || host.length() > 300) {
            throw new InvalidHostException("empty or overlong host");
        }
        String h = host;
        boolean bracketed = h.startsWith("[") || h.endsWith("]");
        if (bracketed) {
            if (h.length() < 2 || !(h.startsWith("[") && h.endsWith("]"))) {
                throw new InvalidHostException("unbalanced brackets in host");
            }
            h = h.substring(1, h.length() - 1);
        }
        if (h.indexOf(':') >= 0) {
            return new HostLiteral.Address(ipv6(h));
        }
        if (bracketed) {
            throw new InvalidHostException("brackets hold no IPv6 address");
        }
        String ascii = toAscii(h).toLowerCase(Locale.ROOT);
        if (ascii.endsWith(".")) {
            ascii = ascii.substring(0, ascii.length() - 1);
        }
        String[] labels = ascii.split("\\.", -1);
        if (NUMERIC_PART.matcher(labels[labels.length - 1]).matches()) {
            return new HostLiteral.Address(ipv4(labels));
        }
        if (ascii.isEmpty() || ascii.length() > 253) {
            throw new InvalidHostException("empty or overlong host name");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw new InvalidHostException("host name has an empty or invalid label");
            }
        }
        return new HostLiteral.Name(ascii);
    }

    private static InetAddress ipv6(String h) throws InvalidHostException {
        if (h.indexOf('%') >= 0) {
            throw new InvalidHostException("IPv6 zone ids are not accepted");
        }
        if (!InetAddresses.isInetAddress(h)) {
            throw new InvalidHostException("not a valid IPv6 address");
        }
        return InetAddresses.forString(h);
    }

    private static String toAscii(String h) throws InvalidHostException {
        if (h.chars().allMatch(c -> c < 0x80)) {
            return h;
        }
        try {
            return IDN.toASCII(h, 0);
        } catch (IllegalArgumentException e) {
            throw new InvalidHostException("not a valid international domain name");
        }
    }

    private static InetAddress ipv4(String[] parts) throws InvalidHostException {
        if (parts.length > 4) {
            throw new InvalidHostException("numeric host has more than four parts");
        }
        long address = 0;
        for (int i = 0; i < parts.length; i++) {
            long value = number(parts[i]);
            boolean last = i == parts.length - 1;
            long limit = last ? 1L << (8 * (4 - i)) : 256;
            if (value >= limit) {
                throw new InvalidHostException("numeric host part out of range");
            }
            address |= last ? value : value << (8 * (3 - i));
        }
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return InetAddress.getByAddress(bytes); // bytes only: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long number(String part) throws InvalidHostException {
        if (!NUMERIC_PART.matcher(part).matches()) {
            throw new InvalidHostException("numeric host has a part that is not a number");
        }
        int radix = 10;
        String digits = part;
        if (part.startsWith("0x")) {
            radix = 16;
            digits = part.substring(2);
            if (digits.isEmpty()) {
                return 0; // "0x" is zero for inet_aton and the URL standard
            }
        } else if (part.length() > 1 && part.charAt(0) == '0') {
            radix = 8;
        }
        String trimmed = digits.replaceFirst("^0+(?=.)", ""); // so the length bounds the value
        if (trimmed.length() > 12) {
            throw new InvalidHostException("numeric host part out of range");
        }
        try {
            return Long.parseLong(trimmed, radix);
        } catch (NumberFormatException e) {
            throw new InvalidHostException("numeric host part is not a valid number");
        }
    }
}
