package io.credproxy.agent.bootstrap;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@link ProxySelector} that answers "the daemon" for every destination that is not exempt, and
 * asks the selector it replaces (or answers "direct") for the exempt ones.
 *
 * <p>Wraps whatever the application configured: the JVM default, its own selector, or none at all
 * ({@code null}, {@code HttpClient.Builder.NO_PROXY}). For {@code socket://} URIs (the JDK's SOCKS
 * look-up for raw sockets) it never names the daemon, which is not a SOCKS proxy; raw sockets are
 * handled by {@link SocketGuard}.
 */
public final class ForcedProxySelector extends ProxySelector {
    private static final List<Proxy> DIRECT = List.of(Proxy.NO_PROXY);
    private static volatile ForcedProxySelector last; // avoids an allocation per call for the usual single delegate

    private final ProxySelector delegate;

    private ForcedProxySelector(ProxySelector delegate) {
        this.delegate = delegate;
    }

    /** {@code selector}, forced; never wraps twice. Equal results for the same delegate. */
    public static ProxySelector wrap(ProxySelector selector) {
        if (selector instanceof ForcedProxySelector) {
            return selector;
        }
        ForcedProxySelector cached = last;
        if (cached != null && cached.delegate == selector) {
            return cached;
        }
        ForcedProxySelector wrapped = new ForcedProxySelector(selector);
        last = wrapped;
        return wrapped;
    }

    @Override
    public List<Proxy> select(URI uri) {
        EgressPolicy policy = AgentContext.policy();
        if (policy == null || isExempt(policy, uri)) {
            List<Proxy> chosen = delegate == null ? null : delegate.select(uri);
            return chosen == null || chosen.isEmpty() ? DIRECT : chosen;
        }
        if ("socket".equalsIgnoreCase(uri.getScheme())) {
            return DIRECT; // the socket layer tunnels or blocks it
        }
        return List.of(policy.httpProxy());
    }

    private static boolean isExempt(EgressPolicy policy, URI uri) {
        String host = uri.getHost();
        if (host == null) {
            return false; // no host: nothing can be exempt, let the daemon answer
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : EgressPolicy.defaultPort(uri.getScheme());
        return policy.isExemptHost(host.toLowerCase(Locale.ROOT), port);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        if (delegate != null) {
            delegate.connectFailed(uri, address, failure);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ForcedProxySelector && ((ForcedProxySelector) other).delegate == delegate;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(delegate) * 31 + 7;
    }

    @Override
    public String toString() {
        return "credproxy forced selector (exempt destinations: " + Objects.toString(delegate, "direct") + ")";
    }
}
