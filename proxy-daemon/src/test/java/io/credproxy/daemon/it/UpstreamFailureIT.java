package io.credproxy.daemon.it;

import static io.credproxy.daemon.it.DaemonFixture.CLOUDFLARE;
import static io.credproxy.daemon.it.DaemonFixture.DOWN;
import static io.credproxy.daemon.it.DaemonFixture.TUNNEL_DOWN;
import static io.credproxy.daemon.it.DaemonFixture.UNTRUSTED;
import static io.credproxy.daemon.it.DaemonFixture.WRONG_NAME;
import static io.credproxy.daemon.it.InjectionIT.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Upstreams that cannot be reached or trusted get a short 502/504 naming the reason, nothing is
 * sent to them, and the daemon keeps serving.
 */
class UpstreamFailureIT extends InProcessDaemonIT {
    @AfterEach
    void daemonStillServes() throws Exception {
        Curl.Result r = fx.curl("https://" + CLOUDFLARE + "/still-there");
        assertThat(r.status()).as(r.stderr()).isEqualTo(200);
    }

    @Test
    void anUntrustedUpstreamCertificateIs502AndTheUpstreamGetsNothing() throws Exception {
        Curl.Result r = fx.curl("https://" + UNTRUSTED + "/client/v4/zones");

        assertThat(r.status()).as(r.stderr()).isEqualTo(502);
        assertThat(r.body()).isEqualTo("credproxy: upstream certificate not trusted for " + UNTRUSTED + "\n");
        // Header names as curl prints them: lower case when the tunnel speaks h2.
        assertThat(r.headers()).containsIgnoringCase("Proxy-Status: credproxy; error=tls_certificate_error");
        assertThat(fx.untrusted.requests()).isEmpty();
        AuditEvent event = single(fx.eventsFor(UNTRUSTED));
        assertThat(event.decision()).isEqualTo(Decision.ERROR);
        assertThat(event.secretNames()).isEmpty();
        assertThat(event.status()).isEqualTo(502);
    }

    @Test
    void anUpstreamCertificateForAnotherNameIs502() throws Exception {
        Curl.Result r = fx.curl("https://" + WRONG_NAME + "/");

        assertThat(r.status()).as(r.stderr()).isEqualTo(502);
        assertThat(r.body()).contains("upstream certificate does not match " + WRONG_NAME);
        assertThat(fx.https.requests()).isEmpty();
    }

    @Test
    void anUpstreamThatRefusesConnectionsIs502() throws Exception {
        Curl.Result r = fx.curl("https://" + DOWN + "/");

        assertThat(r.status()).as(r.stderr()).isEqualTo(502);
        assertThat(r.body()).contains("refused the connection");
        assertThat(r.headers()).contains("error=connection_refused");
    }

    @Test
    void aTunnelToAnUpstreamThatIsDownIsAnswered502() throws Exception {
        Curl.Result r = fx.curl("https://" + TUNNEL_DOWN + "/");

        assertThat(r.exitCode()).isNotZero();
        assertThat(r.headers()).startsWith("HTTP/1.1 502");
        assertThat(single(fx.eventsFor(TUNNEL_DOWN)).decision()).isEqualTo(Decision.ERROR);
    }

    @Test
    void anUnknownHostIs502ForPlainRequestsAndTunnels() throws Exception {
        Curl.Result plain = fx.curl("http://nowhere.test/");
        assertThat(plain.status()).as(plain.stderr()).isEqualTo(502);
        assertThat(plain.body()).isEqualTo("credproxy: upstream host nowhere.test not found\n");

        Curl.Result tunnel = fx.curl("https://nowhere.test/");
        assertThat(tunnel.headers()).startsWith("HTTP/1.1 502");
    }

    @Test
    void anUpstreamTooSlowToAnswerIs504() throws Exception {
        long start = System.nanoTime();
        Curl.Result r = fx.curl("https://" + CLOUDFLARE + "/delay?ms=" + (DaemonFixture.RESPONSE_TIMEOUT_MS * 3));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.status()).as(r.stderr()).isEqualTo(504);
        assertThat(r.body()).isEqualTo("credproxy: upstream did not answer within " + DaemonFixture.RESPONSE_TIMEOUT_MS + " ms\n");
        assertThat(millis).isLessThan(DaemonFixture.RESPONSE_TIMEOUT_MS * 3L);
    }
}
