package io.credproxy.agent.bootstrap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * One of the daemon's addresses (its proxy or admin port), made an {@link InetSocketAddress} only when
 * first needed.
 *
 * <p>The daemon is named by an IP literal in nearly every deployment ({@code 127.0.0.1}); its bytes
 * are read without {@code InetAddress} ({@link IpLiteral}), so that a JVM that never opens a socket
 * never pays for the JDK's name service. A host name is resolved by the agent at start instead
 * ({@link #resolved(InetSocketAddress)}), so that one that does not resolve refuses the start.
 */
public final class DaemonAddress {
    private final String host;
    private final byte[] literal;
    private final int port;
    private volatile InetSocketAddress address;

    private DaemonAddress(String host, byte[] literal, int port, InetSocketAddress address) {
        this.host = host;
        this.literal = literal;
        this.port = port;
        this.address = address;
    }

    /** {@code host:port} for an IP literal {@code host}; {@code null} when {@code host} is not one. */
    public static DaemonAddress literal(String host, int port) {
        byte[] bytes = DirectRule.literal(host);
        return bytes == null ? null : new DaemonAddress(host, bytes, port, null);
    }

    /** An address resolved already. */
    public static DaemonAddress resolved(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("not resolved: " + address);
        }
        return new DaemonAddress(address.getHostString(), address.getAddress().getAddress(), address.getPort(), address);
    }

    public int port() {
        return port;
    }

    /** The address, built from the literal the first time it is asked for. */
    public InetSocketAddress socketAddress() {
        InetSocketAddress known = address;
        if (known == null) {
            try {
                known = new InetSocketAddress(InetAddress.getByAddress(host, literal), port);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("an IP literal of " + literal.length + " bytes", e); // cannot happen
            }
            address = known;
        }
        return known;
    }

    /** Whether {@code bytes} are this address's IP, whatever the port. */
    public boolean isHost(byte[] bytes) {
        return Arrays.equals(bytes, literal);
    }

    /** Whether {@code bytes} and {@code port} (an IP literal the application asked for) are this address. */
    boolean is(byte[] bytes, int otherPort) {
        return otherPort == port && Arrays.equals(bytes, literal);
    }

    /** {@code host:port}, with IPv6 in brackets. */
    @Override
    public String toString() {
        return TunnelHandshake.authority(host, port);
    }
}
