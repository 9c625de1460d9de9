package io.credproxy.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.credproxy.daemon.audit.AuditJson;
import io.credproxy.protocol.report.AppReport;
import io.credproxy.protocol.report.Report;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * An app's entry in the daemon's live report ({@code GET /report} on the admin port). The agent sends
 * its events asynchronously, the last of them from its shutdown hook, so they are polled for.
 */
final class LiveReport {
    private static final ObjectMapper JSON = AuditJson.newMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final InetSocketAddress admin;

    LiveReport(DemoWorld world) {
        this(world.admin());
    }

    /** For the daemon whose admin port is {@code admin}. */
    LiveReport(InetSocketAddress admin) {
        this.admin = admin;
    }

    /** The app's entry once it lists an instrumented client. */
    AppReport app(String app) {
        return app(app, r -> !r.instrumentedClients().isEmpty());
    }

    /** The app's entry once it satisfies {@code ready}; fails if it never does within 10 s. */
    AppReport app(String app, Predicate<AppReport> ready) {
        AtomicReference<AppReport> found = new AtomicReference<>();
        AtomicReference<String> last = new AtomicReference<>();
        try {
            await("the report for app " + app).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + admin.getPort() + "/report")).GET().build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(response.statusCode()).isEqualTo(200);
                        last.set(response.body());
                        List<AppReport> apps = JSON.readValue(response.body(), Report.class).apps();
                        apps.stream().filter(a -> a.app().equals(app) && ready.test(a)).findFirst().ifPresent(found::set);
                        return found.get() != null;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no report for app " + app + " in " + last.get(), e);
        }
        return found.get();
    }
}
