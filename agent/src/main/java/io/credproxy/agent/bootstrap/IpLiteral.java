package io.credproxy.agent.bootstrap;

import java.util.Arrays;

/**
 * The bytes of an IP literal, read the way {@code InetAddress.getByName} reads one, without
 * {@code InetAddress}.
 *
 * <p>Why by hand: the agent parses its own {@code direct=} rules (by default {@code 127.0.0.0/8;::1})
 * and the daemon's addresses in {@code premain}, and the first use of {@code InetAddress} initialises
 * the JDK's name service (on Java 25 it loads the {@code java.security} file and, through it, the NIO
 * channel classes): about ten milliseconds of every JVM start that does not otherwise touch the
 * network. {@code IpLiteralTest} holds this parser to the JDK's on fixed and random inputs.
 *
 * <p>IPv4: four decimal parts of one to three digits, each at most 255 (the JDK's short and octal-looking
 * forms, {@code 1.2.3} and {@code 0x7f.0.0.1}, are not literals here, so they match no address rule).
 * IPv6 (RFC 4291, section 2.2): groups of hex digits up to {@code 0xffff}, at most one {@code ::}
 * standing for at least one group, optionally ending in a dotted IPv4 part; an IPv4-mapped address
 * ({@code ::ffff:a.b.c.d}) is answered as its IPv4 address, as the JDK does. A zone ({@code %eth0})
 * must be taken off first.
 */
final class IpLiteral {
    private IpLiteral() {}

    /** 4 or 16 bytes, or {@code null} when {@code text} is not an IP literal. */
    static byte[] parse(String text) {
        return text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text, 0);
    }

    /** The dotted IPv4 address that starts at {@code from} and runs to the end of {@code text}. */
    private static byte[] ipv4(String text, int from) {
        byte[] out = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = from; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || part == 4) {
                    return null;
                }
                out[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    private static byte[] ipv6(String text) {
        int length = text.length();
        if (length < 2 || text.charAt(0) == ':' && text.charAt(1) != ':') {
            return null;
        }
        byte[] out = new byte[16];
        int written = 0;
        int gap = -1; // where "::" stands, in bytes
        int i = 0;
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
        }
        while (i < length) {
            int start = i;
            int value = 0;
            while (i < length && hexDigit(text.charAt(i)) >= 0) {
                value = value * 16 + hexDigit(text.charAt(i++));
                if (value > 0xffff) {
                    return null;
                }
            }
            if (i < length && text.charAt(i) == '.') {
                // A dotted IPv4 part: the last four bytes.
                byte[] v4 = written <= 12 ? ipv4(text, start) : null;
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, out, written, 4);
                written += 4;
                break;
            }
            if (i == start || written == 16) {
                return null;
            }
            out[written++] = (byte) (value >> 8);
            out[written++] = (byte) value;
            if (i == length) {
                break;
            }
            if (text.charAt(i++) != ':' || i == length) {
                return null; // a stray character, or a single ':' at the end
            }
            if (text.charAt(i) == ':') {
                if (gap >= 0) {
                    return null; // a second "::"
                }
                gap = written;
                i++;
            }
        }
        if (gap >= 0) {
            if (written == 16) {
                return null; // "::" must stand for at least one group
            }
            int tail = written - gap;
            System.arraycopy(out, gap, out, 16 - tail, tail);
            Arrays.fill(out, gap, 16 - tail, (byte) 0);
        } else if (written != 16) {
            return null;
        }
        return isIpv4Mapped(out) ? Arrays.copyOfRange(out, 12, 16) : out;
    }

    private static boolean isIpv4Mapped(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    /** The value of an ASCII hex digit, else -1 (never a digit of another script). */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
