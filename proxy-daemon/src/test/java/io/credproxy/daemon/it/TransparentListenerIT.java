package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.DaemonFixture.CLOUDFLARE;
import static io.credproxy.daemon.it.DaemonFixture.EVIL;
import static io.credproxy.daemon.it.DaemonFixture.PASSTHROUGH;
import static io.credproxy.daemon.it.InjectionIT.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.testing.RecordedRequest;
import io.credproxy.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The transparent listeners the agent sends non-blocking and native connects to: a connection to the
 * listener of (app, host:port) is that app's CONNECT to host:port, decided by the same stages, with no
 * CONNECT on the wire; and the admin request that hands them out.
 */
class TransparentListenerIT extends InProcessDaemonIT {
    private final HttpClient admin = HttpClient.newHttpClient();

    @Test
    void aRuleHostIsInterceptedAndGetsItsCredentialForTheAppTheListenerNames() throws Exception {
        InetSocketAddress listener = listener(fx.app("native"), CLOUDFLARE, 443);
        String response = get(listener, CLOUDFLARE, CLOUDFLARE, fx.daemon.certificateAuthority().certificate());

        assertThat(response).startsWith("HTTP/1.1 200");
        RecordedRequest seen = single(fx.https.requests());
        assertThat(seen.header("Authorization")).containsExactly("Bearer " + fx.secret("CLOUDFLARE_D1_API_TOKEN"));
        AuditEvent event = single(fx.eventsFor(CLOUDFLARE));
        assertThat(event.app()).isEqualTo(fx.app("native"));
        assertThat(event.decision()).isEqualTo(Decision.INJECTED);
        assertThat(response).doesNotContain(fx.secret("CLOUDFLARE_D1_API_TOKEN"));
    }

    @Test
    void aServerNameOrHostThatNamesAnotherHostGets421AndNoCredential() throws Exception {
        InetSocketAddress listener = listener(fx.app("spoof"), CLOUDFLARE, 443);
        X509Certificate ca = fx.daemon.certificateAuthority().certificate();

        assertThat(get(listener, EVIL, CLOUDFLARE, ca)).startsWith("HTTP/1.1 421");
        assertThat(get(listener, CLOUDFLARE, EVIL, ca)).startsWith("HTTP/1.1 421");
        assertThat(fx.https.requests()).isEmpty();
    }

    @Test
    void aHostWithoutARuleIsAnOpaqueTunnelToTheUpstreamsOwnCertificate() throws Exception {
        InetSocketAddress listener = listener(fx.app("tunnel"), PASSTHROUGH, 443);
        String response = get(listener, PASSTHROUGH, PASSTHROUGH, fx.pki.caCertificate());

        assertThat(response).startsWith("HTTP/1.1 200");
        assertThat(single(fx.https.requests()).header("Authorization")).isEmpty();
        AuditEvent event = single(fx.awaitEvents(1));
        assertThat(event.decision()).isEqualTo(Decision.TUNNEL);
        assertThat(event.app()).isEqualTo(fx.app("tunnel"));
    }

    @Test
    void oneListenerPerAppAndDestinationHandedOutAgainWhenAskedAgain() throws Exception {
        InetSocketAddress first = listener(fx.app("a"), CLOUDFLARE, 443);
        assertThat(listener(fx.app("a"), CLOUDFLARE.toUpperCase() + ".", 443)).isEqualTo(first);
        assertThat(listener(fx.app("b"), CLOUDFLARE, 443)).isNotEqualTo(first);
        assertThat(listener(fx.app("a"), CLOUDFLARE, 8443)).isNotEqualTo(first);
        assertThat(first.getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void badParametersAreRefusedWith400NamingThem() throws Exception {
        for (String query : List.of("host=a%20b&port=443", "host=a%0d%0aX:y&port=443", "host=&port=443", "port=443",
                "host=x.test&port=0", "host=x.test&port=65536", "host=x.test&port=http", "host=-x&port=1",
                "host=" + "a".repeat(254) + "&port=1")) {
            HttpResponse<String> response = post("/transparent?app=x&" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.body()).as(query).matches("(host|port): .*\\n");
        }
        assertThat(admin.send(HttpRequest.newBuilder(adminUri("/transparent?app=x&host=a.test&port=1")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    }

    private InetSocketAddress listener(String app, String host, int port) throws Exception {
        HttpResponse<String> response = post("/transparent?app=" + app + "&host=" + host + "&port=" + port);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String[] parts = response.body().strip().split(":");
        return new InetSocketAddress(parts[0], Integer.parseInt(parts[1]));
    }

    private HttpResponse<String> post(String pathAndQuery) throws Exception {
        return admin.send(HttpRequest.newBuilder(adminUri(pathAndQuery)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI adminUri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + fx.daemon.adminAddress().getPort() + pathAndQuery);
    }

    /** TLS with server name {@code sni} straight to the listener (no CONNECT), then a GET with {@code Host: host}. */
    private static String get(InetSocketAddress listener, String sni, String host, X509Certificate trusted) throws IOException {
        SSLContext tls = TestPki.trusting(trusted);
        try (Socket plain = new Socket(listener.getAddress(), listener.getPort());
                SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, sni, 443, true)) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(sni)));
            socket.setSSLParameters(parameters);
            socket.getOutputStream().write(("GET /client/v4/user/tokens/verify HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}
