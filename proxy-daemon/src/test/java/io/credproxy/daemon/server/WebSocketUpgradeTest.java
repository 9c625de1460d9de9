package io.credproxy.daemon.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.pipeline.Connection;
import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.daemon.pipeline.HopByHopHeaders;
import io.credproxy.daemon.pipeline.Target;
import io.credproxy.daemon.policy.Policy;
import io.credproxy.daemon.secrets.Secrets;
import io.credproxy.protocol.config.HostPort;
import java.util.List;
import java.util.Map;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class WebSocketUpgradeTest {
    private static HttpRequest handshake(String method, String connection, String upgrade) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), "/ws");
        r.headers().set("Host", "api.cloudflare.com").set("Connection", connection).set("Upgrade", upgrade)
                .set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").set("Sec-WebSocket-Version", "13")
                .set("Sec-WebSocket-Extensions", "permessage-deflate");
        return r;
    }

    @Test
    void onlyAGetAskingToUpgradeToWebSocketIsAHandshake() {
        assertThat(WebSocketUpgrade.isRequested(handshake("GET", "keep-alive, Upgrade", "WebSocket"))).isTrue();
        assertThat(WebSocketUpgrade.isRequested(handshake("POST", "Upgrade", "websocket"))).isFalse();
        assertThat(WebSocketUpgrade.isRequested(handshake("GET", "keep-alive", "websocket"))).isFalse();
        assertThat(WebSocketUpgrade.isRequested(handshake("GET", "Upgrade", "h2c"))).isFalse();
    }

    @Test
    void theHandshakeKeepsItsUpgradeHeadersButOffersNoExtension() throws Exception {
        HttpRequest request = handshake("GET", "Upgrade", "websocket");
        Exchange exchange = new Exchange(new Target(new Connection(null, "127.0.0.1:1"), "app", new HostPort("api.cloudflare.com", 443),
                Target.Kind.INTERCEPTED, "GET", Policy.resolve(List.of(), new Secrets("test", Map.of()))), Exchange.Scheme.HTTPS, null,
                request, "/ws", null);
        HopByHopHeaders.strip(request.headers());

        WebSocketUpgrade.keepHandshake(exchange, request);

        assertThat(request.headers().get("Connection")).isEqualTo("upgrade");
        assertThat(request.headers().get("Upgrade")).isEqualTo("websocket");
        assertThat(request.headers().contains("Sec-WebSocket-Extensions")).isFalse();
        assertThat(request.headers().get("Sec-WebSocket-Key")).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
        assertThat(WebSocketUpgrade.requested(exchange)).isTrue();
    }

    @Test
    void only101ToWebSocketWithoutAnExtensionIsAccepted() {
        HttpResponse ok = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        ok.headers().set("Upgrade", "websocket").set("Connection", "Upgrade");
        HttpResponse otherProtocol = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        otherProtocol.headers().set("Upgrade", "h2c");
        HttpResponse deflate = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        deflate.headers().set("Upgrade", "websocket").set("Sec-WebSocket-Extensions", "permessage-deflate");

        assertThat(WebSocketUpgrade.accepted(ok)).isTrue();
        assertThat(WebSocketUpgrade.accepted(otherProtocol)).isFalse();
        assertThat(WebSocketUpgrade.accepted(deflate)).as("an extension nobody offered would hide the frames").isFalse();
    }
}
