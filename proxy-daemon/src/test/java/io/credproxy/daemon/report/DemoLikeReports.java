package io.credproxy.daemon.report;

import static io.credproxy.daemon.testing.TestEvents.blocked;
import static io.credproxy.daemon.testing.TestEvents.injected;
import static io.credproxy.daemon.testing.TestEvents.request;
import static io.credproxy.daemon.testing.TestEvents.tunneled;

import io.credproxy.daemon.testing.SampleReports;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.report.Report;

/**
 * A report shaped like the demo's: ten apps, long host names, fully qualified frames, apps whose
 * only traffic is bypass attempts, and more apps with bypass attempts than the chart has series.
 */
final class DemoLikeReports {
    static final String LONG_HOST = "striping-app-production-eu-west.example-account-with-a-long-name.workers.dev";
    static final String LONG_FRAME = "io.credproxy.demo.apps.bypass.RawSocketBlockedApp$DirectConnectionAttempt.openSocketToTheUpstream";
    static final String[] APPS = {"jdk-httpclient", "urlconnection", "okhttp", "apache-classic", "apache-async", "raw-socket",
        "socket-channel", "raw-socket-blocked", "host-spoof", "plaintext-http"};

    private DemoLikeReports() {}

    static Report report() {
        ReportAggregator a = new ReportAggregator(ReportLimits.defaults(), SampleReports.CLOCK, Report.SOURCE_AUDIT_LOG);
        long t = SampleReports.T0;
        for (int i = 0; i < APPS.length; i++) {
            String app = APPS[i];
            if (!app.equals("raw-socket-blocked") && !app.equals("socket-channel")) {
                for (int r = 0; r <= i % 3; r++) {
                    a.record(injected(t + i * 120_000L + r * 1000, app, i % 2 == 0 ? LONG_HOST : "api.cloudflare.com",
                            "CLOUDFLARE_ACCESS_CLIENT_SECRET_FOR_THE_CRM_WORKER"));
                }
                a.record(request(t + i * 120_000L + 5000, app, "places.googleapis.com", 443, Decision.DENIED, 421));
            }
            // Every app but two tries to get around the proxy; two of them do nothing else.
            if (i % 5 != 1) {
                a.recordAgentEvent(blocked(t + i * 120_000L + 7000, app, LONG_HOST, 443, LONG_FRAME));
                a.recordAgentEvent(tunneled(t + i * 120_000L + 8000, app, "db.internal.example-corporation.example", 5432, LONG_FRAME + "Again"));
            }
        }
        return a.snapshot();
    }
}
