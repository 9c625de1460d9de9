package io.credproxy.daemon.testing;

import static io.credproxy.daemon.testing.TestEvents.blocked;
import static io.credproxy.daemon.testing.TestEvents.injected;
import static io.credproxy.daemon.testing.TestEvents.request;
import static io.credproxy.daemon.testing.TestEvents.tunnel;
import static io.credproxy.daemon.testing.TestEvents.tunneled;

import io.credproxy.daemon.audit.AgentEventSink;
import io.credproxy.daemon.audit.AuditSink;
import io.credproxy.daemon.report.ReportAggregator;
import io.credproxy.daemon.report.ReportLimits;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.report.Report;
import io.credproxy.protocol.wire.AgentEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** A small, known demo-like story, fed to any sink: two apps, injections, a tunnel, bypasses. */
public final class SampleReports {
    /** 2026-01-01T10:00:00Z. */
    public static final long T0 = 1_767_261_600_000L;
    public static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(T0 + 3_600_000), ZoneOffset.UTC);

    private SampleReports() {}

    /**
     * tito: 5 injected to api.cloudflare.com, 1 denied (421) there, 2 tunnels to example.org, a blocked
     * raw socket to smtp.example:25 (twice) and a tunneled one; okhttp and jdk-httpclient
     * instrumented. places: 3 injected to places.googleapis.com, 1 error 502.
     */
    public static <S extends AuditSink & AgentEventSink> void feed(S sink) {
        for (int i = 0; i < 5; i++) {
            sink.record(injected(T0 + i * 60_000L, "tito", "api.cloudflare.com", "CLOUDFLARE_D1_API_TOKEN"));
        }
        sink.record(request(T0 + 400_000, "tito", "api.cloudflare.com", 443, Decision.DENIED, 421));
        sink.record(tunnel(T0 + 500_000, "tito", "example.org", 443));
        sink.record(tunnel(T0 + 900_000, "tito", "example.org", 443));
        sink.recordAgentEvent(AgentEvent.instrumented(T0, "tito", "okhttp"));
        sink.recordAgentEvent(AgentEvent.instrumented(T0, "tito", "jdk-httpclient"));
        sink.recordAgentEvent(blocked(T0 + 600_000, "tito", "smtp.example", 25, "com.example.Mailer.send"));
        sink.recordAgentEvent(blocked(T0 + 700_000, "tito", "smtp.example", 25, "com.example.Mailer.send"));
        sink.recordAgentEvent(tunneled(T0 + 800_000, "tito", "db.example", 5432, "com.example.Db.connect"));
        for (int i = 0; i < 3; i++) {
            sink.record(injected(T0 + 1_200_000 + i * 1000L, "places", "places.googleapis.com", "GOOGLE_PLACES_API_KEY"));
        }
        sink.record(request(T0 + 1_300_000, "places", "places.googleapis.com", 443, Decision.ERROR, 502));
    }

    /** The sample story as a report. */
    public static Report report() {
        ReportAggregator aggregator = new ReportAggregator(ReportLimits.defaults(), CLOCK, Report.SOURCE_DAEMON);
        feed(aggregator);
        return aggregator.snapshot();
    }
}
