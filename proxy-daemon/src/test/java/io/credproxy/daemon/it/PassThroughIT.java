package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.DaemonFixture.PASSTHROUGH;
import static io.credproxy.daemon.it.InjectionIT.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.testing.TestPki;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** A host without a rule is a plain byte tunnel: never intercepted, never given a credential. */
class PassThroughIT extends InProcessDaemonIT {
    @Test
    void theClientSeesTheUpstreamsOwnCertificate() throws Exception {
        HttpResponse<String> response = fx.jdkClient(TestPki.trusting(fx.pki.caCertificate())).send(
                HttpRequest.newBuilder(URI.create("https://" + PASSTHROUGH + "/hello")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.sslSession()).get().satisfies(session ->
                assertThat(session.getPeerCertificates()[0]).isEqualTo(fx.pki.serverCertificate()));
        assertThat(fx.https.requests()).anySatisfy(seen -> {
            assertThat(seen.sniHost()).isEqualTo(PASSTHROUGH);
            assertThat(seen.header("Authorization")).isEmpty();
        });
    }

    @Test
    void aTunnelIsRecordedWithItsBytesWhenItCloses() throws Exception {
        // curl closes its connection when it exits; the tunnel is recorded once both sides are closed.
        Curl.Result r = fx.curlTrusting(fx.upstreamCaPem, "https://" + PASSTHROUGH + "/bytes?n=5000");

        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
        AuditEvent event = single(fx.eventsFor(PASSTHROUGH));
        assertThat(event.decision()).isEqualTo(Decision.TUNNEL);
        assertThat(event.method()).isEqualTo("CONNECT");
        assertThat(event.bytesUp()).isPositive();
        assertThat(event.bytesDown()).isPositive();
        assertThat(event.bytesDown()).isGreaterThan(5000);
        assertThat(event.path()).isNull();
        assertThat(event.secretNames()).isEmpty();
    }

    @Test
    void aClientTrustingOnlyTheDaemonCaCannotTalkToAPassThroughHost() {
        assertThatThrownBy(() -> fx.jdkClient().send(HttpRequest.newBuilder(URI.create("https://" + PASSTHROUGH + "/")).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }
}
