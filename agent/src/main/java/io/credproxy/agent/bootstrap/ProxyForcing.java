package io.credproxy.agent.bootstrap;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URL;
import java.util.Locale;
import javax.net.ssl.SSLSocketFactory;
import sun.net.www.MessageHeader;
import sun.net.www.http.HttpClient;

/**
 * The decisions client-level hooks ask for: which proxy a request to a host must use, and when a
 * request head must carry the app's {@code Proxy-Authorization}.
 *
 * <p>The methods called from woven client code ({@link #proxyForUrl}, {@link #addIdentity},
 * {@link #appendIdentityLine}, {@link #okHttpProxy}) never throw: should one fail, the client goes on
 * as it would have, tries to connect direct, and the socket fence behind it tunnels or blocks that
 * connection, so nothing leaves unrouted.
 */
public final class ProxyForcing {
    private ProxyForcing() {}

    /**
     * The proxy an {@code HttpURLConnection} to {@code url} must use: the daemon, unless the host is
     * exempt, in which case the one the application asked for ({@code null}: the default selector).
     */
    public static Proxy proxyForUrl(URL url, Proxy requested) {
        try {
            EgressPolicy policy = AgentContext.policy();
            if (policy == null || url == null) {
                return requested;
            }
            int port = url.getPort() >= 0 ? url.getPort() : url.getDefaultPort();
            return policy.isExemptHost(url.getHost(), port) ? requested : policy.httpProxy();
        } catch (Throwable e) {
            return requested;
        }
    }

    /**
     * Hook at the end of {@code HttpURLConnection.setPreemptiveProxyAuthentication(requests)}, which the
     * JDK calls exactly for a CONNECT and for plain requests sent to a proxy: adds the app's
     * {@code Proxy-Authorization} when that proxy is the daemon.
     */
    public static void addIdentity(MessageHeader requests, HttpClient http) {
        try {
            if (requests != null && http != null) {
                String value = identityForProxy(http.getProxyHostUsed(), http.getProxyPortUsed());
                if (value != null) {
                    requests.set("Proxy-Authorization", value);
                }
            }
        } catch (Throwable e) {
            // the request goes without the identity; the daemon reports it as app "unknown"
        }
    }

    /**
     * Hook at the start of the JDK HttpClient's {@code Http1Request.collectHeaders0(head)}, whose
     * {@code head} holds only the request line: appends the {@code Proxy-Authorization} line when the
     * request goes to the proxy. Added after the JDK's header filters, which drop a user-set Basic
     * {@code Proxy-Authorization} from CONNECTs.
     */
    public static void appendIdentityLine(StringBuilder head) {
        try {
            String line = identityLineFor(head);
            if (line != null) {
                head.append(line);
            }
        } catch (Throwable e) {
            // as above
        }
    }

    /**
     * Hook at the start of OkHttp's {@code Address} constructor: the proxy an OkHttp address to
     * {@code host:port} must use, the daemon unless the host is exempt ({@code requested} then).
     *
     * @param tls the address's {@code SSLSocketFactory}; {@code null} for plain HTTP
     */
    public static Proxy okHttpProxy(String host, int port, SSLSocketFactory tls, Proxy requested) {
        try {
            Proxy forced = httpProxyFor(host, port, tls != null ? "https" : "http");
            return forced != null ? forced : requested;
        } catch (Throwable e) {
            return requested;
        }
    }

    /**
     * The daemon's address when a request to {@code host:port} must go through it, {@code null}
     * when the host is exempt (or the agent is not active).
     */
    public static InetSocketAddress proxyFor(String host, int port, String scheme) {
        EgressPolicy policy = AgentContext.policy();
        if (policy == null || host == null) {
            return null;
        }
        int p = port >= 0 ? port : EgressPolicy.defaultPort(scheme);
        return policy.isExemptHost(host.toLowerCase(Locale.ROOT), p) ? null : policy.proxy();
    }

    /** As {@link #proxyFor}, as a {@link Proxy}. */
    public static Proxy httpProxyFor(String host, int port, String scheme) {
        return proxyFor(host, port, scheme) == null ? null : AgentContext.policy().httpProxy();
    }

    /**
     * The {@code Proxy-Authorization} value for a request sent to the daemon, or {@code null}.
     *
     * @param proxyHost the host of the proxy the client is using ({@code null}: none)
     */
    public static String identityForProxy(String proxyHost, int proxyPort) {
        EgressPolicy policy = AgentContext.policy();
        if (policy == null || proxyHost == null || proxyPort != policy.proxy().getPort()) {
            return null;
        }
        InetSocketAddress proxy = policy.proxy();
        boolean same = proxyHost.equals(proxy.getHostString())
                || proxyHost.equals(proxy.getAddress().getHostAddress());
        return same ? policy.proxyAuthorization() : null;
    }

    /**
     * The {@code Proxy-Authorization} value when {@code method} and {@code target} (from a request
     * line) are addressed to a proxy: a CONNECT, or an absolute-form {@code http://} target. Clients
     * only write those to a proxy, and every proxy for a non-exempt destination is the daemon.
     */
    public static String identityForRequest(String method, String target) {
        EgressPolicy policy = AgentContext.policy();
        if (policy == null || method == null || target == null) {
            return null;
        }
        boolean toProxy = method.equalsIgnoreCase("CONNECT") || target.regionMatches(true, 0, "http://", 0, 7);
        return toProxy ? policy.proxyAuthorization() : null;
    }

    /** As {@link #identityForRequest}, from a whole request line ({@code "CONNECT host:443 HTTP/1.1"}). */
    public static String identityForRequestLine(String requestLine) {
        int firstSpace = requestLine.indexOf(' ');
        if (firstSpace < 0) {
            return null;
        }
        int secondSpace = requestLine.indexOf(' ', firstSpace + 1);
        String target = secondSpace < 0 ? requestLine.substring(firstSpace + 1) : requestLine.substring(firstSpace + 1, secondSpace);
        return identityForRequest(requestLine.substring(0, firstSpace), target);
    }

    /**
     * The header line to add to a request head whose request line is the whole of {@code head} so
     * far ({@code "GET http://x/ HTTP/1.1\r\n"}), or {@code null}.
     */
    public static String identityLineFor(CharSequence head) {
        String value = identityForRequestLine(head.toString());
        return value == null ? null : "Proxy-Authorization: " + value + "\r\n";
    }
}
