package io.credproxy.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.admin.AdminResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The admin port over real HTTP: the CA certificate, health, routing, and endpoints added later. */
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
        assertThat(call("GET", "/metrics-not-yet").statusCode()).isEqualTo(404);
        assertThat(call("POST", "/healthz").statusCode()).isEqualTo(405);
    }

    @Test
    void endpointsRegisteredWhileRunningAreServed() throws Exception {
        fx.daemon.adminRouter().register("GET", "/report", request -> AdminResponse.json("{\"apps\":[]}"));

        HttpResponse<String> response = call("GET", "/report");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"apps\":[]}");
    }
}
