package io.credproxy.daemon.identity;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * One accepted connection as the client's own socket shows it in {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6}: local address = the daemon's peer, remote address = the daemon's local
 * address. Precomputes those addresses in the kernel's text form for each file, so a scan compares
 * strings and parses nothing but the lines that match.
 *
 * <p>The kernel prints each 32-bit word of an address with {@code %08X} in the machine's byte order,
 * and the port in host order. An IPv4 peer can own an IPv4 socket (in {@code tcp}) or an IPv6 socket
 * connected to an IPv4-mapped address (in {@code tcp6}, as {@code ::ffff:a.b.c.d}); a JVM client's
 * sockets are usually the latter.
 */
final class SocketPair {
    private final InetSocketAddress peer;
    private final InetSocketAddress local;
    private final String v4Local;
    private final String v4Remote;
    private final String v6Local;
    private final String v6Remote;

    SocketPair(InetSocketAddress peer, InetSocketAddress local) {
        this.peer = peer;
        this.local = local;
        InetAddress p = peer.getAddress();
        InetAddress l = local.getAddress();
        boolean v4 = p instanceof Inet4Address && l instanceof Inet4Address;
        this.v4Local = v4 ? v4(p.getAddress(), peer.getPort()) : null;
        this.v4Remote = v4 ? v4(l.getAddress(), local.getPort()) : null;
        this.v6Local = v6(sixteen(p.getAddress()), peer.getPort());
        this.v6Remote = v6(sixteen(l.getAddress()), local.getPort());
    }

    /** The client socket's local address field in {@code file}'s format; {@code null} when it cannot appear there. */
    String localField(ProcNetFile file) {
        return file == ProcNetFile.TCP ? v4Local : v6Local;
    }

    String remoteField(ProcNetFile file) {
        return file == ProcNetFile.TCP ? v4Remote : v6Remote;
    }

    /** Whether the client's socket may be an IPv4 one (in {@code tcp}) as well as an IPv6 one (in {@code tcp6}). */
    boolean isIpv4() {
        return v4Local != null;
    }

    @Override
    public String toString() {
        return peer + " -> " + local;
    }

    private static byte[] sixteen(byte[] address) {
        if (address.length == 16) {
            return address;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(address, 0, mapped, 12, 4);
        return mapped;
    }

    private static String v4(byte[] address, int port) {
        return word(address, 0) + ":" + port(port);
    }

    private static String v6(byte[] address, int port) {
        return word(address, 0) + word(address, 4) + word(address, 8) + word(address, 12) + ":" + port(port);
    }

    /** Four network-order bytes as the kernel prints the 32-bit word that holds them. */
    private static String word(byte[] a, int at) {
        long value = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
                ? (a[at] & 0xffL) | (a[at + 1] & 0xffL) << 8 | (a[at + 2] & 0xffL) << 16 | (a[at + 3] & 0xffL) << 24
                : (a[at] & 0xffL) << 24 | (a[at + 1] & 0xffL) << 16 | (a[at + 2] & 0xffL) << 8 | (a[at + 3] & 0xffL);
        return String.format(Locale.ROOT, "%08X", value);
    }

    private static String port(int port) {
        return String.format(Locale.ROOT, "%04X", port);
    }
}
