package io.credproxy.bench;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One way to reach the upstream: directly, or through a proxy whose process the benchmark watches.
 *
 * @param name how the report names it ({@code direct}, {@code credproxy}, {@code mitmdump})
 * @param proxy the forward proxy's address, or {@code null} for a direct connection
 * @param pid the proxy's process id for CPU and memory figures, or 0 when there is none to watch
 * @param trustedCa the CA this target's TLS peer must chain to: the upstream's own CA when direct,
 *     the proxy's interception CA otherwise (so a proxy that tunnels instead of intercepting fails)
 * @param http2 whether the target speaks HTTP/2 to its clients (squid 5 bumps to HTTP/1.1 only): the
 *     h2 and gRPC scenarios skip a target that does not, rather than count its every answer wrong
 */
public record Target(String name, InetSocketAddress proxy, long pid, Path trustedCa, boolean http2) {

    /**
     * Whether this target takes injected credentials out of responses (credproxy does; mitmdump's
     * addon and a direct connection do not): the echo scenarios expect the redacted body from it.
     */
    public boolean redacts() {
        return name.startsWith("credproxy");
    }

    /** Whether requests go through a proxy that is expected to add the credential. */
    public boolean proxied() {
        return proxy != null;
    }

    public Optional<Long> watchedPid() {
        return pid > 0 ? Optional.of(pid) : Optional.empty();
    }

    /**
     * Parses {@code name=N,ca=FILE[,proxy=HOST:PORT][,pid=P][,http2=false]}.
     *
     * @throws IllegalArgumentException naming the missing or malformed part
     */
    public static Target parse(String spec) {
        Map<String, String> parts = new HashMap<>();
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("target '" + spec + "': expected key=value parts, got '" + part + "'");
            }
            parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        String name = parts.get("name");
        String ca = parts.get("ca");
        if (name == null || name.isEmpty() || ca == null || ca.isEmpty()) {
            throw new IllegalArgumentException("target '" + spec + "': name= and ca= are required");
        }
        InetSocketAddress proxy = null;
        if (parts.containsKey("proxy")) {
            String hp = parts.get("proxy");
            int colon = hp.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("target '" + spec + "': proxy= must be host:port");
            }
            proxy = new InetSocketAddress(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1)));
        }
        long pid = parts.containsKey("pid") ? Long.parseLong(parts.get("pid")) : 0;
        String http2 = parts.getOrDefault("http2", "true");
        if (!http2.equals("true") && !http2.equals("false")) {
            throw new IllegalArgumentException("target '" + spec + "': http2= must be true or false");
        }
        return new Target(name, proxy, pid, Path.of(ca), Boolean.parseBoolean(http2));
    }
}
