package io.credproxy.daemon.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.wire.ProxyIdentity;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** {@link RequestRouter} on request heads alone: no channel, no policy. */
class RequestRouterTest {
    private static final ClientConnection PROXY_PORT = ClientConnection.plain("127.0.0.1:9");
    private static final ClientConnection TUNNEL = PROXY_PORT.intercepted(new HostPort("api.example.com", 443), "tito");

    private static HttpRequest request(String method, String uri, String... headers) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri);
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1]);
        }
        return r;
    }

    @Test
    void aConnectOnTheProxyPortNamesItsTargetAndTheAgentsApp() {
        RequestRouter.Route route = RequestRouter.route(request("CONNECT", "API.Example.com:8443",
                "Proxy-Authorization", new ProxyIdentity("tito", "t").toHeaderValue()), PROXY_PORT);

        assertThat(route).isEqualTo(new RequestRouter.Connect(new HostPort("api.example.com", 8443), "tito"));
    }

    @Test
    void anAbsoluteHttpUrlIsForwardedToItsAuthorityNeverToTheHostHeader() {
        RequestRouter.Route route = RequestRouter.route(request("GET", "http://api.example.com/v1?q=1", "Host", "evil.example"), PROXY_PORT);

        assertThat(route).isInstanceOfSatisfying(RequestRouter.Forward.class, f -> {
            assertThat(f.scheme()).isEqualTo(Exchange.Scheme.HTTP);
            assertThat(f.destination()).isEqualTo(new HostPort("api.example.com", 80));
            assertThat(f.target().pathAndQuery()).isEqualTo("/v1?q=1");
            assertThat(f.app()).isEqualTo(ProxyIdentity.UNKNOWN_APP);
        });
    }

    @Test
    void insideATunnelEveryRequestGoesToTheConnectTargetForTheConnectsApp() {
        RequestRouter.Route route = RequestRouter.route(request("GET", "https://evil.example/x",
                "Proxy-Authorization", new ProxyIdentity("mallory", "").toHeaderValue()), TUNNEL);

        assertThat(route).isInstanceOfSatisfying(RequestRouter.Forward.class, f -> {
            assertThat(f.scheme()).isEqualTo(Exchange.Scheme.HTTPS);
            assertThat(f.destination()).isEqualTo(new HostPort("api.example.com", 443));
            assertThat(f.target().authority()).as("kept for the stages to compare").isEqualTo("evil.example");
            assertThat(f.app()).isEqualTo("tito");
        });
    }

    @Test
    void whatAProxyCannotServeIsRejectedWithAReason() {
        assertThat(RequestRouter.route(request("GET", "/origin-form"), PROXY_PORT))
                .isEqualTo(new RequestRouter.Reject(HttpResponseStatus.BAD_REQUEST, "this is a proxy: send absolute-form http:// URLs or CONNECT"));
        assertThat(RequestRouter.route(request("GET", "https://api.example.com/"), PROXY_PORT))
                .isEqualTo(new RequestRouter.Reject(HttpResponseStatus.BAD_REQUEST,
                        "only http:// URLs are forwarded in absolute form; use CONNECT for https"));
        assertThat(RequestRouter.route(request("CONNECT", "no-port"), PROXY_PORT))
                .isEqualTo(new RequestRouter.Reject(HttpResponseStatus.BAD_REQUEST, "CONNECT needs host:port"));
        assertThat(RequestRouter.route(request("GET", "http://a:b:c/"), PROXY_PORT))
                .isEqualTo(new RequestRouter.Reject(HttpResponseStatus.BAD_REQUEST, "malformed host in URL"));
        assertThat(RequestRouter.route(request("GET", "http://user@api.example.com/"), PROXY_PORT))
                .isEqualTo(new RequestRouter.Reject(HttpResponseStatus.BAD_REQUEST, "URL carries user info"));
        assertThat(RequestRouter.route(request("CONNECT", "api.example.com:443"), TUNNEL))
                .isEqualTo(new RequestRouter.Reject(HttpResponseStatus.METHOD_NOT_ALLOWED,
                        "CONNECT inside an intercepted tunnel is not supported"));
    }
}
