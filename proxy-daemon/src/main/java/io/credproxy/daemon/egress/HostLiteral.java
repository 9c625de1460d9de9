package io.credproxy.daemon.egress;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;

/**
 * A request's host as the address or the name it means: the one thing every later decision is
 * made on.
 *
 * <p>Design: canonicalise, then judge (rather than refuse every non-canonical spelling with 400).
 * A numeric host is read the way glibc's {@code inet_aton}, curl and the WHATWG URL standard read it,
 * so {@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1}, {@code 127.1} and {@code 127.0.0.1.}
 * are all {@code 127.0.0.1} and are refused as loopback like it: one rule for every spelling, and
 * the refusal names the address the client meant. What makes this safe is the other half: the
 * daemon connects to exactly the {@link InetAddress} it judged and never hands the text to a
 * resolver that might read it differently (Java reads {@code 0177.0.0.1} as 177.0.0.1,
 * getaddrinfo as 127.0.0.1). See {@link HostParser} for the exact reading and what is invalid.
 */
public sealed interface HostLiteral {

    /** An IP address given literally; connect to exactly this. */
    record Address(InetAddress address) implements HostLiteral {
        @Override
        public String canonical() {
            return InetAddresses.toAddrString(address);
        }
    }

    /** A DNS name, lower-case ASCII (punycode) without a trailing dot; resolve it once and judge every result. */
    record Name(String name) implements HostLiteral {
        @Override
        public String canonical() {
            return name;
        }
    }

    /** The host as host rules and reports see it: a name, or an address in canonical form ({@code ::1}, {@code 127.0.0.1}). */
    String canonical();

    /**
     * Reads a host as sent in a CONNECT authority, an absolute-form URI or a Host header, with or
     * without IPv6 brackets, port already removed.
     *
     * @throws InvalidHostException when no client should send it; the proxy answers 400
     */
    static HostLiteral parse(String host) throws InvalidHostException {
        return HostParser.parse(host);
    }
}
