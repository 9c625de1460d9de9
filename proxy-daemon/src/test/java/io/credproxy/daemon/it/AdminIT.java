package io.credproxy.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.admin.AdminResponse;
import io.credproxy.daemon.admin.AdminServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The admin port over real HTTP: the CA certificate, health, reporting routes, limits, and endpoints added later. */
class AdminIT extends InProcessDaemonIT {
    static final HttpClient DIRECT = HttpClient.newHttpClient();

    private static HttpResponse<String> call(String method, String path) throws Exception {
        return DIRECT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.daemon.adminAddress().getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void caPemIsTheCertificateTheDaemonSignsLeavesWith() throws Exception {
        HttpResponse<String> response = call("GET", "/ca.pem");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(fx.daemon.certificateAuthority().certificatePem());
        assertThat(dir.resolve("ca").resolve("ca.pem")).hasContent(response.body().strip());
    }

    @Test
    void healthzRoutingAndMethods() throws Exception {
        assertThat(call("GET", "/healthz").body()).isEqualTo("ok\n");
        assertThat(call("GET", "/nope").statusCode()).isEqualTo(404);
        assertThat(call("POST", "/healthz").statusCode()).isEqualTo(405);
    }

    @Test
    void aDaemonStartedFromAConfigServesItsReportMetricsAndEvents() throws Exception {
        HttpResponse<String> report = call("GET", "/report");
        HttpResponse<String> metrics = call("GET", "/metrics");
        HttpResponse<String> events = post("/events", "[]".getBytes(StandardCharsets.UTF_8));

        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(report.body()).contains("\"source\":\"daemon\"");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body()).contains("credproxy_connections_active").contains("credproxy_certificate_cache_size")
                .contains("credproxy_errors_total{kind=\"bad_request\"}");
        assertThat(events.statusCode()).isEqualTo(202);
        assertThat(events.body()).isEqualTo("{\"accepted\":0}");
    }

    @Test
    void eventsTakesPostOnlyAndBodiesUpToTheAdminServersCap() throws Exception {
        byte[] tooBig = new byte[AdminServer.MAX_BODY_BYTES + 1];
        Arrays.fill(tooBig, (byte) ' ');

        HttpResponse<String> get = call("GET", "/events");
        HttpResponse<String> oversized = post("/events", tooBig);
        HttpResponse<String> bad = post("/events", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(oversized.statusCode()).isEqualTo(413);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("expected a JSON array of events\n");
        assertThat(call("GET", "/healthz").statusCode()).as("the admin port still serves").isEqualTo(200);
    }

    @Test
    void aClientStillSendingItsTooLargeBodyReadsThe413InsteadOfAReset() throws Exception {
        byte[] tooBig = new byte[4 * AdminServer.MAX_BODY_BYTES];
        for (int attempt = 0; attempt < 30; attempt++) { // a reset that overtakes the 413 is a race: give it chances
            assertThat(post("/events", tooBig).statusCode()).as("attempt %d", attempt).isEqualTo(413);
        }
        assertThat(call("GET", "/healthz").statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> post(String path, byte[] body) throws Exception {
        return DIRECT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.daemon.adminAddress().getPort() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void endpointsRegisteredWhileRunningAreServed() throws Exception {
        fx.daemon.adminRouter().register("GET", "/custom", request -> AdminResponse.json("{\"apps\":[]}"));

        HttpResponse<String> response = call("GET", "/custom");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"apps\":[]}");
    }
}
