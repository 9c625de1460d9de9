package io.credproxy.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.HttpConnectProxiedSocketAddress;
import io.grpc.internal.ClientTransportFactory.ClientTransportOptions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import org.apache.http.HttpHost;
import org.apache.http.conn.routing.HttpRoute;
import org.apache.http.conn.routing.RouteInfo;
import org.apache.http.message.BasicHttpRequest;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.client.ProxyConfiguration;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Socks5Proxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientConfig;
import reactor.netty.transport.ProxyProvider;

/**
 * The helpers of the client-level hooks (Apache HttpClient 4, Jetty 12, gRPC) against the libraries'
 * real types: a non-exempt destination goes to the daemon whatever the client was configured with
 * (nothing, its own proxy, a planner that never proxies), an exempt one keeps the client's choice, and
 * the identity goes only on what is addressed to a proxy. The ITs run the same through the real daemon.
 */
class ClientProxyHooksTest {
    private static final InetSocketAddress DAEMON = new InetSocketAddress("127.0.0.1", 18080);
    private static final String IDENTITY = "Basic dGl0bzo=";

    @BeforeEach
    void install() {
        AgentContext.install(new EgressPolicy(DaemonAddress.literal("127.0.0.1", 18080), DaemonAddress.literal("127.0.0.1", 18081),
                List.of(DirectRule.parse("localhost"), DirectRule.parse("127.0.0.0/8")), EgressPolicy.SocketMode.BLOCK,
                "tito", IDENTITY), AgentEvents.NONE);
    }

    @AfterEach
    void uninstall() {
        AgentContext.install(null, null);
    }

    @Test
    void apache4RoutesGoThroughTheDaemonTunnelledWhenSecure() {
        HttpHost target = new HttpHost("api.example", 443, "https");
        HttpRoute forced = (HttpRoute) Apache4Hooks.forceRoute(new HttpRoute(target, null, true));
        assertThat(forced.getProxyHost()).isEqualTo(new HttpHost("127.0.0.1", 18080, "http"));
        assertThat(forced.getTargetHost()).isEqualTo(target);
        assertThat(forced.isTunnelled()).isTrue();
        assertThat(forced.getLayerType()).isEqualTo(RouteInfo.LayerType.LAYERED);

        HttpRoute viaOtherProxy = new HttpRoute(new HttpHost("api.example", 80, "http"), new HttpHost("evil.example", 3128));
        assertThat(((HttpRoute) Apache4Hooks.forceRoute(viaOtherProxy)).getProxyHost().getHostName()).isEqualTo("127.0.0.1");

        HttpRoute exempt = new HttpRoute(new HttpHost("localhost", 8080, "http"));
        assertThat(Apache4Hooks.forceRoute(exempt)).isSameAs(exempt);
        assertThat(Apache4Hooks.forceRoute(null)).isNull();
        assertThat(Apache4Hooks.forceRoute("not a route")).isEqualTo("not a route");
    }

    @Test
    void apache4IdentityOnlyOnConnectsAndAbsoluteFormRequests() {
        BasicHttpRequest connect = new BasicHttpRequest("CONNECT", "api.example:443");
        Apache4Hooks.addIdentity(connect);
        assertThat(connect.getFirstHeader("Proxy-Authorization").getValue()).isEqualTo(IDENTITY);

        BasicHttpRequest toProxy = new BasicHttpRequest("GET", "http://api.example/x");
        Apache4Hooks.addIdentity(toProxy);
        assertThat(toProxy.getFirstHeader("Proxy-Authorization").getValue()).isEqualTo(IDENTITY);

        BasicHttpRequest toOrigin = new BasicHttpRequest("GET", "/x?next=http://y");
        Apache4Hooks.addIdentity(toOrigin);
        assertThat(toOrigin.getFirstHeader("Proxy-Authorization")).isNull();
    }

    @Test
    void jettyOriginsGetAnHttpProxyToTheDaemonWhateverWasConfigured() {
        Origin origin = new Origin("https", "api.example", 443);
        HttpProxy forced = (HttpProxy) JettyHooks.forceProxy(null, origin);
        assertThat(forced.getAddress().getHost()).isEqualTo("127.0.0.1");
        assertThat(forced.getAddress().getPort()).isEqualTo(18080);
        assertThat(forced.requiresTunnel(origin)).isTrue();

        ProxyConfiguration.Proxy socks = new Socks5Proxy("evil.example", 1080);
        assertThat(JettyHooks.forceProxy(socks, origin)).isInstanceOf(HttpProxy.class);

        ProxyConfiguration.Proxy own = new HttpProxy("proxy.corp", 3128);
        assertThat(JettyHooks.forceProxy(own, new Origin("http", "localhost", 8080))).isSameAs(own);
        assertThat(JettyHooks.forceProxy(null, new Origin("http", "127.0.0.1", 8080))).isNull();
        assertThat(JettyHooks.forceProxy(null, "not an origin")).isNull();
    }

    @Test
    void jettyIdentityOnlyOnConnectsAndAbsoluteFormRequests() throws Exception {
        org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient();
        Request connect = client.newRequest(URI.create("http://127.0.0.1:18080")).method("CONNECT").path("api.example:443");
        JettyHooks.addIdentity(connect);
        assertThat(connect.getHeaders().get("Proxy-Authorization")).isEqualTo(IDENTITY);

        Request toProxy = client.newRequest(URI.create("http://api.example/x")).path("http://api.example/x");
        JettyHooks.addIdentity(toProxy);
        assertThat(toProxy.getHeaders().get("Proxy-Authorization")).isEqualTo(IDENTITY);

        Request toOrigin = client.newRequest(URI.create("https://api.example/x"));
        JettyHooks.addIdentity(toOrigin);
        assertThat(toOrigin.getHeaders().get("Proxy-Authorization")).isNull();
    }

    @Test
    void grpcTransportsGetTheDaemonAsConnectProxyWithTheAppsName() {
        ClientTransportOptions direct = new ClientTransportOptions();
        InetSocketAddress resolved = new InetSocketAddress("127.0.0.1", 443);
        InetSocketAddress named = InetSocketAddress.createUnresolved("grpc.example", 443);
        GrpcHooks.forceProxy(named, direct);
        HttpConnectProxiedSocketAddress forced = direct.getHttpConnectProxiedSocketAddress();
        assertThat(forced.getProxyAddress()).isEqualTo(DAEMON);
        assertThat(forced.getTargetAddress()).isSameAs(named);
        assertThat(forced.getUsername()).isEqualTo("tito");
        assertThat(forced.getPassword()).isEmpty();

        // A detector's choice of proxy is replaced, its target kept.
        ClientTransportOptions detected = new ClientTransportOptions().setHttpConnectProxiedSocketAddress(
                HttpConnectProxiedSocketAddress.newBuilder().setProxyAddress(new InetSocketAddress("127.0.0.2", 3128))
                        .setTargetAddress(named).build());
        GrpcHooks.forceProxy(resolved, detected);
        assertThat(detected.getHttpConnectProxiedSocketAddress().getProxyAddress()).isEqualTo(DAEMON);
        assertThat(detected.getHttpConnectProxiedSocketAddress().getTargetAddress()).isSameAs(named);

        ClientTransportOptions exempt = new ClientTransportOptions();
        GrpcHooks.forceProxy(new InetSocketAddress("127.0.0.1", 50051), exempt);
        assertThat(exempt.getHttpConnectProxiedSocketAddress()).isNull();
        GrpcHooks.forceProxy(named, null);
    }

    @Test
    void reactorNettyConfigurationsGetTheDaemonWhateverTheClientSet() {
        HttpClientConfig config = HttpClient.create().noProxy().configuration();
        ReactorNettyHooks.forceProxy(config);
        ProxyProvider forced = config.proxyProvider();
        assertThat(forced).isNotNull();
        assertThat(forced.getType()).isEqualTo(ProxyProvider.Proxy.HTTP);
        assertThat(forced.getAddress().get()).isEqualTo(DAEMON);
        assertThat(forced.shouldProxy(InetSocketAddress.createUnresolved("api.example", 443))).isTrue();
        assertThat(forced.shouldProxy(InetSocketAddress.createUnresolved("localhost", 8080))).isFalse();
        assertThat(forced.shouldProxy(new InetSocketAddress("127.0.0.1", 8080))).isFalse();

        HttpClientConfig own = HttpClient.create().proxy(p -> p.type(ProxyProvider.Proxy.SOCKS5).host("evil.example").port(1080))
                .configuration();
        ReactorNettyHooks.forceProxy(own);
        assertThat(own.proxyProvider()).isSameAs(forced);
        ReactorNettyHooks.forceProxy(null);
        ReactorNettyHooks.forceProxy("not a configuration");
    }

    @Test
    void vertxConnectionsGetTheDaemonAsHttpProxyWithTheAppsName() {
        io.vertx.core.net.ProxyOptions forced = (io.vertx.core.net.ProxyOptions) VertxHooks.forceProxy(null,
                io.vertx.core.net.SocketAddress.inetSocketAddress(443, "api.example"));
        assertThat(forced.getType()).isEqualTo(io.vertx.core.net.ProxyType.HTTP);
        assertThat(forced.getHost() + ":" + forced.getPort()).isEqualTo("127.0.0.1:18080");
        assertThat(forced.getUsername()).isEqualTo("tito");
        assertThat(forced.getPassword()).isEmpty();

        io.vertx.core.net.ProxyOptions own = new io.vertx.core.net.ProxyOptions().setType(io.vertx.core.net.ProxyType.SOCKS5);
        assertThat(VertxHooks.forceProxy(own, io.vertx.core.net.SocketAddress.inetSocketAddress(443, "api.example"))).isNotSameAs(own);
        assertThat(VertxHooks.forceProxy(own, io.vertx.core.net.SocketAddress.inetSocketAddress(8080, "localhost"))).isSameAs(own);
        assertThat(VertxHooks.forceProxy(own, io.vertx.core.net.SocketAddress.domainSocketAddress("/tmp/s"))).isSameAs(own);
        assertThat(VertxHooks.forceProxy(null, null)).isNull();
    }

    @Test
    void asyncHttpClientRequestsGetTheDaemonWithAPreemptiveBasicRealm() {
        org.asynchttpclient.proxy.ProxyServer own = new org.asynchttpclient.proxy.ProxyServer.Builder("evil.example", 3128).build();
        org.asynchttpclient.proxy.ProxyServer forced = (org.asynchttpclient.proxy.ProxyServer) AsyncHttpClientHooks.forceProxy(own,
                org.asynchttpclient.Dsl.get("https://api.example/x").build());
        assertThat(forced.getHost() + ":" + forced.getPort()).isEqualTo("127.0.0.1:18080");
        assertThat(forced.getProxyType()).isEqualTo(org.asynchttpclient.proxy.ProxyType.HTTP);
        assertThat(forced.getRealm().getPrincipal()).isEqualTo("tito");
        assertThat(forced.getRealm().getPassword()).isEmpty();
        assertThat(forced.getRealm().getScheme()).isEqualTo(org.asynchttpclient.Realm.AuthScheme.BASIC);
        assertThat(forced.getRealm().isUsePreemptiveAuth()).isTrue();

        assertThat(AsyncHttpClientHooks.forceProxy(own, org.asynchttpclient.Dsl.get("http://localhost:8080/x").build())).isSameAs(own);
        assertThat(AsyncHttpClientHooks.forceProxy(null, null)).isNull();
    }

    @Test
    void jettysConnectionToTheDaemonItselfIsNeverProxiedEvenWithNoDirectRules() {
        AgentContext.install(new EgressPolicy(DaemonAddress.literal("127.0.0.1", 18080), DaemonAddress.literal("127.0.0.1", 18081),
                List.of(), EgressPolicy.SocketMode.BLOCK, "tito", IDENTITY), AgentEvents.NONE);
        // Jetty asks match(..) again for the proxy's own origin: an answer there would proxy the proxy.
        HttpProxy forced = (HttpProxy) JettyHooks.forceProxy(null, new Origin("https", "api.example", 443));
        assertThat(JettyHooks.forceProxy(null, forced.getOrigin())).isNull();
        assertThat(JettyHooks.forceProxy(null, new Origin("http", "127.0.0.1", 8080))).isInstanceOf(HttpProxy.class);
    }
}
