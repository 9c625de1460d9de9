package io.credproxy.daemon.admin;

import io.credproxy.daemon.audit.RecordJson;
import io.credproxy.daemon.policy.PolicyHolder;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /readyz}: 200 when the proxy can do its job now (its port is listening, a policy is in
 * force, the CA is within its validity), else 503; the JSON body says why.
 *
 * <p>Body: {@code {"ready":true,"reasons":[],"warnings":["reload_failed"],"policyLoadedAt":"...","caNotAfter":"..."}}.
 * A reason makes it 503: {@value #NOT_LISTENING}, {@value #NO_POLICY}, {@value #CA_NOT_YET_VALID},
 * {@value #CA_EXPIRED}. A warning does not: {@value #RELOAD_FAILED} (the latest reload was refused
 * and the previous rules still serve, which is what they are for) and {@value #CA_EXPIRES_SOON}
 * (under {@link #CA_EXPIRY_WARNING} left). A CA near its end stays ready on purpose: every daemon
 * sharing it would leave the load balancer at once, for a problem that is not there yet; alert on
 * {@code credproxy_ca_not_after_timestamp_seconds} instead.
 *
 * <p>The body holds fixed words and two timestamps, nothing from the config: the admin port may be
 * reachable by the sandboxed workload, and the file and line of a refused reload are in the log.
 */
public final class ReadinessEndpoint implements AdminEndpoint {
    static final String NOT_LISTENING = "not_listening";
    static final String NO_POLICY = "no_policy";
    static final String CA_NOT_YET_VALID = "ca_not_yet_valid";
    static final String CA_EXPIRED = "ca_expired";
    static final String RELOAD_FAILED = "reload_failed";
    static final String CA_EXPIRES_SOON = "ca_expires_soon";
    static final Duration CA_EXPIRY_WARNING = Duration.ofDays(7);

    /** What {@code /readyz} answers, as JSON. */
    record Readiness(boolean ready, List<String> reasons, List<String> warnings, String policyLoadedAt, String caNotAfter) {}

    private final BooleanSupplier listening;
    private final PolicyHolder policy;
    private final Instant caNotBefore;
    private final Instant caNotAfter;
    private final Clock clock;
    private final RecordJson writer = RecordJson.reportFormat();

    /**
     * @param listening whether the proxy port accepts connections
     * @param policy the policy in force and its reload history
     * @param ca the interception CA certificate
     * @param clock the time the CA's validity is checked against
     */
    public ReadinessEndpoint(BooleanSupplier listening, PolicyHolder policy, X509Certificate ca, Clock clock) {
        this.listening = Objects.requireNonNull(listening, "listening");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.caNotBefore = ca.getNotBefore().toInstant();
        this.caNotAfter = ca.getNotAfter().toInstant();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The checks, now. */
    Readiness check() {
        Instant now = clock.instant();
        List<String> reasons = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (!listening.getAsBoolean()) {
            reasons.add(NOT_LISTENING);
        }
        if (policy.current() == null) {
            reasons.add(NO_POLICY);
        } else if (policy.lastReloadFailed()) {
            warnings.add(RELOAD_FAILED);
        }
        if (now.isBefore(caNotBefore)) {
            reasons.add(CA_NOT_YET_VALID);
        } else if (now.isAfter(caNotAfter)) { // RFC 5280: notAfter itself is still valid
            reasons.add(CA_EXPIRED);
        } else if (now.plus(CA_EXPIRY_WARNING).isAfter(caNotAfter)) {
            warnings.add(CA_EXPIRES_SOON);
        }
        return new Readiness(reasons.isEmpty(), reasons, warnings, policy.loadedAt().toString(), caNotAfter.toString());
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        Readiness readiness = check();
        try {
            return AdminResponse.of(readiness.ready() ? 200 : 503, AdminResponse.JSON, writer.toBytes(readiness));
        } catch (IOException | RuntimeException e) {
            return AdminResponse.text(500, "cannot serialise the readiness\n");
        }
    }
}
