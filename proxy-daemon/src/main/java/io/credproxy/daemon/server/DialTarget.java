package io.credproxy.daemon.server;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The address a judged upstream address is dialled at, the same on every transport.
 *
 * <p>Why: "connect to the unspecified address" means "this host", but only the JDK's NIO says so
 * itself (it swaps in loopback before connecting); Netty's epoll hands 0.0.0.0 to the kernel as an
 * IPv4-mapped address on a dual-stack socket, which Linux refuses. The egress stage has already judged
 * the unspecified address as what it is (refused unless {@code egress.allow_addresses} names it, and
 * always refused on the daemon's own ports), so dialling loopback here only makes the transports agree.
 */
final class DialTarget {
    private DialTarget() {}

    static InetSocketAddress of(InetSocketAddress judged) {
        InetAddress address = judged.getAddress();
        if (address == null || !address.isAnyLocalAddress()) {
            return judged;
        }
        InetAddress loopback = address instanceof Inet4Address ? v4Loopback() : v6Loopback();
        return new InetSocketAddress(loopback, judged.getPort());
    }

    private static InetAddress v4Loopback() {
        return literal(new byte[] {127, 0, 0, 1});
    }

    private static InetAddress v6Loopback() {
        byte[] one = new byte[16];
        one[15] = 1;
        return literal(one);
    }

    private static InetAddress literal(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }
}
