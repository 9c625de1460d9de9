package io.credproxy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.testing.RecordedRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppRunTest {
    private static final RecordedRequest REQUEST = new RecordedRequest("GET", "/x?run=1", Map.of(), 0, null, 443);

    private static DemoScenario scenario(String app) {
        return DemoScenario.all().stream().filter(s -> s.app().equals(app)).findFirst().orElseThrow();
    }

    private static AuditEvent event(String app, Decision decision, int status, String reason) {
        return new AuditEvent(0, app, "127.0.0.1:1", "GET", "https", "api.telegram.org", 443, "/x", decision, List.of(), status, 0, 0, 1, reason);
    }

    private static AppRun run(String app, int exitCode, List<String> results, List<RecordedRequest> requests, long authorized,
            long leaked, List<String> held, List<AuditEvent> audit) {
        return new AppRun(scenario(app), exitCode, results, requests, authorized, leaked, held, audit);
    }

    @Test
    void aCredentialRunIsRightOnlyWhenEveryRequestCarriedItAndTheAppHeldNothing() {
        assertThat(run("jdk-httpclient", 0, List.of("a: HTTP 200"), List.of(REQUEST, REQUEST), 2, 2, List.of(), List.of()).problems())
                .isEmpty();
        assertThat(run("jdk-httpclient", 0, List.of(), List.of(REQUEST, REQUEST), 1, 1, List.of(), List.of()).problems())
                .containsExactly("1 of 2 requests arrived without the credential");
        assertThat(run("jdk-httpclient", 1, List.of("a: FAILED x"), List.of(), 0, 0, List.of(), List.of()).problems())
                .containsExactly("no request reached the upstream: a: FAILED x", "the app exited with status 1");
        assertThat(run("jdk-httpclient", 0, List.of(), List.of(REQUEST), 1, 1, List.of("CRM_API_KEY"), List.of()).problems())
                .containsExactly("the app held CRM_API_KEY");
    }

    @Test
    void theBlockedSocketNeedsTheAgentsMessageAndNoRequest() {
        String line = "java.net.Socket: FAILED java.net.ConnectException: credproxy: blocked direct connection to h:1 (sockets=block)";
        AppRun blocked = run("raw-socket-blocked", 1, List.of(line), List.of(), 0, 0, List.of(), List.of());
        assertThat(blocked.problems()).isEmpty();
        assertThat(blocked.blocked()).isEqualTo("blocked direct connection to h:1");

        assertThat(run("raw-socket-blocked", 0, List.of("java.net.Socket: HTTP 200"), List.of(REQUEST), 1, 1, List.of(), List.of())
                .problems()).containsExactly("the agent did not block the raw socket", "1 request reached the upstream",
                        "1 request carried a secret to the upstream");
    }

    @Test
    void theHostSpoofNeedsTheDaemons421AndNoRequest() {
        AuditEvent misdirected = event("host-spoof", Decision.DENIED, 421, "Host header does not match the CONNECT target");
        AppRun spoof = run("host-spoof", 0, List.of("host-spoof: HTTP 421"), List.of(), 0, 0, List.of(), List.of(misdirected));
        assertThat(spoof.problems()).isEmpty();
        assertThat(spoof.refusals()).containsExactly(misdirected);

        assertThat(run("host-spoof", 0, List.of(), List.of(REQUEST), 0, 0, List.of(),
                List.of(event("host-spoof", Decision.INJECTED, 200, null))).problems())
                .containsExactly("the daemon did not answer 421", "1 request reached the upstream");
    }

    @Test
    void thePlainRequestMustArriveWithoutAnySecret() {
        AuditEvent passed = event("plaintext-http", Decision.PASSTHROUGH, 401, "no credentials over plain http");
        assertThat(run("plaintext-http", 0, List.of(), List.of(REQUEST), 0, 0, List.of(), List.of(passed)).problems()).isEmpty();
        assertThat(run("plaintext-http", 0, List.of(), List.of(REQUEST), 0, 1, List.of(), List.of(passed)).problems())
                .containsExactly("1 request carried a secret to the upstream");
        assertThat(run("plaintext-http", 0, List.of(), List.of(), 0, 0, List.of(), List.of()).problems())
                .containsExactly("no request reached the plain-HTTP upstream");
    }
}
