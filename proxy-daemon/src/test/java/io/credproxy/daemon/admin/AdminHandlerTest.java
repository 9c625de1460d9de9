package io.credproxy.daemon.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdminHandlerTest {
    private final AdminRouter router = new AdminRouter()
            .register("GET", "/healthz", new HealthEndpoint())
            .register("GET", "/ca.pem", new CaCertificateEndpoint("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
            .register("POST", "/events", request -> AdminResponse.text(202, "got " + request.body().length + " bytes from "
                    + request.header("X-App") + " q=" + request.queryParam("q") + "\n"))
            .register("GET", "/broken", request -> {
                throw new IllegalStateException("secret detail");
            });

    private String exchange(String raw) {
        return AdminExchange.exchange(router, raw);
    }

    @Test
    void healthAndCaCertificate() {
        assertThat(exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nok\n");
        assertThat(exchange("GET /ca.pem HTTP/1.1\r\nHost: x\r\n\r\n")).contains("content-type: application/x-pem-file")
                .endsWith("-----END CERTIFICATE-----\n");
    }

    @Test
    void unknownPathsAre404AndWrongMethods405WithAllow() {
        assertThat(exchange("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 404");
        assertThat(exchange("DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 405").contains("Allow: GET");
        assertThat(exchange("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 405").contains("Allow: POST");
    }

    @Test
    void endpointsGetTheBodyHeadersAndQuery() {
        assertThat(exchange("POST /events?q=1 HTTP/1.1\r\nHost: x\r\nX-App: tito\r\nContent-Length: 4\r\n\r\n[{}]"))
                .startsWith("HTTP/1.1 202").endsWith("got 4 bytes from tito q=1\n");
    }

    @Test
    void aFailingEndpointIs500WithoutDetails() {
        assertThat(exchange("GET /broken HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 500").endsWith("internal error\n")
                .doesNotContain("secret detail");
    }

    @Test
    void anOversizedBodyIs413() {
        assertThat(exchange("POST /events HTTP/1.1\r\nHost: x\r\nContent-Length: " + (AdminServer.MAX_BODY_BYTES + 1) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 413");
    }
}
