package io.credproxy.daemon.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credproxy.daemon.policy.Policy;
import io.credproxy.daemon.policy.PolicyHolder;
import io.credproxy.daemon.secrets.Secrets;
import io.credproxy.daemon.testing.AdminCalls;
import io.credproxy.daemon.tls.CertificateAuthority;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReadinessEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final X509Certificate CA = CertificateAuthority.ephemeral("readiness test CA").certificate();
    private static final Instant NOT_BEFORE = CA.getNotBefore().toInstant();
    private static final Instant NOT_AFTER = CA.getNotAfter().toInstant();

    private final AtomicBoolean listening = new AtomicBoolean(true);
    private final PolicyHolder policy = new PolicyHolder(emptyPolicy());
    private final SettableClock clock = new SettableClock(NOT_BEFORE.plus(Duration.ofDays(1)));
    private final ReadinessEndpoint endpoint = new ReadinessEndpoint(listening::get, policy, CA, clock);

    @Test
    void readyWhenListeningWithAPolicyAndAValidCa() throws Exception {
        AdminResponse response = endpoint.handle(AdminCalls.get("/readyz"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo(AdminResponse.JSON);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("ready").asBoolean()).isTrue();
        assertThat(body.get("reasons")).isEmpty();
        assertThat(body.get("warnings")).isEmpty();
        assertThat(Instant.parse(body.get("caNotAfter").asText())).isEqualTo(NOT_AFTER);
        assertThat(Instant.parse(body.get("policyLoadedAt").asText())).isEqualTo(policy.loadedAt());
    }

    @Test
    void aClosedProxyPortIsNotReady() throws Exception {
        listening.set(false);

        assertThat(endpoint.handle(AdminCalls.get("/readyz")).status()).isEqualTo(503);
        assertThat(endpoint.check().reasons()).containsExactly(ReadinessEndpoint.NOT_LISTENING);
    }

    @Test
    void noPolicyIsNotReady() {
        ReadinessEndpoint withoutPolicy = new ReadinessEndpoint(listening::get, new PolicyHolder(null), CA, clock);

        assertThat(withoutPolicy.check().reasons()).containsExactly(ReadinessEndpoint.NO_POLICY);
    }

    @Test
    void aRefusedReloadStaysReadyWithAWarningUntilAReloadSucceeds() throws Exception {
        policy.reloadFailed();

        AdminResponse refused = endpoint.handle(AdminCalls.get("/readyz"));
        policy.swap(emptyPolicy());
        AdminResponse fixed = endpoint.handle(AdminCalls.get("/readyz"));

        assertThat(refused.status()).isEqualTo(200);
        assertThat(JSON.readTree(refused.body()).get("warnings").toString()).isEqualTo("[\"reload_failed\"]");
        assertThat(fixed.status()).isEqualTo(200);
        assertThat(JSON.readTree(fixed.body()).get("warnings")).isEmpty();
    }

    @Test
    void theCaMustBeWithinItsValidityBothEndsIncluded() {
        clock.set(NOT_BEFORE.minusSeconds(1));
        assertThat(endpoint.check().reasons()).containsExactly(ReadinessEndpoint.CA_NOT_YET_VALID);
        clock.set(NOT_BEFORE);
        assertThat(endpoint.check().ready()).isTrue();
        clock.set(NOT_AFTER);
        assertThat(endpoint.check().ready()).as("RFC 5280: notAfter is still valid").isTrue();
        clock.set(NOT_AFTER.plusSeconds(1));
        assertThat(endpoint.check().reasons()).containsExactly(ReadinessEndpoint.CA_EXPIRED);
    }

    @Test
    void aCaNearItsEndIsAWarningNotAReason() {
        clock.set(NOT_AFTER.minus(ReadinessEndpoint.CA_EXPIRY_WARNING).minusSeconds(1));
        assertThat(endpoint.check().warnings()).isEmpty();

        clock.set(NOT_AFTER.minus(ReadinessEndpoint.CA_EXPIRY_WARNING).plusSeconds(1));
        ReadinessEndpoint.Readiness soon = endpoint.check();

        assertThat(soon.ready()).isTrue();
        assertThat(soon.warnings()).containsExactly(ReadinessEndpoint.CA_EXPIRES_SOON);
    }

    @Test
    void everyReasonIsNamedAtOnce() throws Exception {
        listening.set(false);
        clock.set(NOT_AFTER.plus(Duration.ofDays(1)));

        AdminResponse response = endpoint.handle(AdminCalls.get("/readyz"));

        assertThat(response.status()).isEqualTo(503);
        assertThat(JSON.readTree(response.body()).get("reasons").toString()).isEqualTo("[\"not_listening\",\"ca_expired\"]");
    }

    private static Policy emptyPolicy() {
        try {
            return Policy.resolve(List.of(), new Secrets("test", Map.of()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clock a test moves. */
    private static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
