package io.credproxy.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The egress policy through the real daemon, as a hostile workload would try it: every spelling of
 * loopback, through CONNECT and absolute-form {@code http://}, with raw clients (which send the
 * spelling as written) and curl; the daemon's own proxy and admin ports. Each target is a local
 * listener that must stay silent; a second daemon with {@code allow_addresses} covering loopback
 * reaches the same listeners, so every assertion can fail both ways.
 *
 * <p>Only loopback is ever a target here; the link-local, private and metadata classes (and names
 * mapped to them in a hosts file) are refused in a private network namespace (EgressNamespaceIT).
 */
class EgressIT {
    private static final String PROHIBITED = "credproxy; error=destination_ip_prohibited";

    @TempDir
    static Path dir;
    static DaemonFixture closed;
    static DaemonFixture open;
    /** Shared by the tests, in any order: each counts the connections its own requests made. */
    static SilentListener v4;
    static SilentListener v6;

    @BeforeAll
    static void start() throws Exception {
        v4 = SilentListener.on("127.0.0.1");
        v6 = SilentListener.on("::1");
        closed = DaemonFixture.start(dir.resolve("closed"));
        open = DaemonFixture.start(dir.resolve("open"),
                "egress:\n  allow_addresses: [\"127.0.0.0/8\", \"::1/128\", \"0.0.0.0/32\"]\n");
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {closed, open, v4, v6}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @BeforeEach
    void newTest() {
        closed.startTest();
        open.startTest();
    }

    /** Every way a client can write 127.0.0.1 (or mean this host); all but the last two name the IPv4 listener. */
    private static List<String> loopbackSpellings() {
        return List.of("127.0.0.1", "127.1", "2130706433", "0x7f.1", "0177.0.0.1", "0x7F000001", "017700000001", "127.0.0.1.",
                "0", "localhost", "LocalHost.", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]");
    }

    @Test
    void everySpellingOfLoopbackIsRefusedOnConnectBeforeAnythingConnects() throws Exception {
        int before4 = v4.accepted();
        int before6 = v6.accepted();
        for (String host : loopbackSpellings()) {
            assertRefusedConnect(host + ":" + v4.port());
        }
        assertRefusedConnect("[::1]:" + v6.port());
        assertRefusedConnect("[0:0:0:0:0:0:0:1]:" + v6.port());

        assertThat(v4.accepted()).as("the IPv4 listener stayed silent").isEqualTo(before4);
        assertThat(v6.accepted()).as("the IPv6 listener stayed silent").isEqualTo(before6);
        List<AuditEvent> events = closed.awaitEvents(loopbackSpellings().size() + 2);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.decision()).isEqualTo(Decision.DENIED);
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.reason()).containsPattern("(127\\.0\\.0\\.1|::1|0\\.0\\.0\\.0) is (loopback|unspecified)");
        });
    }

    private static void assertRefusedConnect(String authority) throws Exception {
        try (RawClient client = closed.raw()) {
            RawClient.Response response = client.connect(authority);
            assertThat(response.status()).as(authority).isEqualTo(403);
            assertThat(response.header("Proxy-Status")).as(authority).startsWith(PROHIBITED);
        }
    }

    @Test
    void absoluteFormRequestsAreJudgedTheSameWay() throws Exception {
        int before = v4.accepted();
        int before6 = v6.accepted();
        for (String host : loopbackSpellings()) {
            try (RawClient client = closed.raw()) {
                client.send("GET http://" + host + ":" + v4.port() + "/x HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
                RawClient.Response response = client.readResponse();
                assertThat(response.status()).as(host).isEqualTo(403);
                assertThat(response.header("Proxy-Status")).as(host).startsWith(PROHIBITED);
                assertThat(response.body()).as(host).contains("and not in egress.allow_addresses");
            }
        }
        Curl.Result viaCurl = closed.curl("http://[::1]:" + v6.port() + "/");
        assertThat(viaCurl.status()).isEqualTo(403);
        assertThat(viaCurl.headers()).contains("Proxy-Status: " + PROHIBITED);
        assertThat(v4.accepted()).isEqualTo(before);
        assertThat(v6.accepted()).isEqualTo(before6);
    }

    @Test
    void curlThroughTheProxyGetsTheRefusalOnItsConnect() throws Exception {
        int before = v4.accepted();
        Curl.Result r = closed.curl("https://127.0.0.1:" + v4.port() + "/");

        assertThat(r.exitCode()).as("curl could not tunnel").isNotZero();
        assertThat(r.headers()).startsWith("HTTP/1.1 403").contains("Proxy-Status: " + PROHIBITED)
                .contains("127.0.0.1 is loopback");
        assertThat(v4.accepted()).isEqualTo(before);
    }

    @Test
    void theDaemonsOwnPortsAreNeverReachableEvenWithLoopbackOptedIn() throws Exception {
        for (DaemonFixture fx : List.of(closed, open)) {
            for (String target : List.of("127.0.0.1:" + fx.proxyPort(), "localhost:" + fx.proxyPort(), "127.1:" + fx.adminPort(),
                    "[::ffff:127.0.0.1]:" + fx.adminPort(), "2130706433:" + fx.adminPort())) {
                try (RawClient client = fx.raw()) {
                    RawClient.Response response = client.connect(target);
                    assertThat(response.status()).as(target).isEqualTo(403);
                    assertThat(response.header("Proxy-Status")).as(target).startsWith(PROHIBITED);
                }
            }
            Curl.Result report = fx.curl("http://127.0.0.1:" + fx.adminPort() + "/report");
            assertThat(report.status()).isEqualTo(403);
            assertThat(report.body()).contains("is the daemon's own admin endpoint").doesNotContain("\"apps\"");
            Curl.Result events = fx.curl("-d", "[]", "http://localhost:" + fx.adminPort() + "/events");
            assertThat(events.status()).isEqualTo(403);
        }
        assertThat(open.events).filteredOn(e -> e.status() == 403)
                .allSatisfy(e -> assertThat(e.reason()).containsPattern("the daemon's own (proxy|admin) endpoint"));
    }

    @Test
    void allowAddressesOpensLoopbackAgainSoEachRefusalAboveCanFail() throws Exception {
        int before = v4.accepted();
        int before6 = v6.accepted();
        for (String host : loopbackSpellings()) {
            try (RawClient client = open.raw()) {
                assertThat(client.connect(host + ":" + v4.port()).status()).as(host).isEqualTo(200);
            }
        }
        try (RawClient client = open.raw()) {
            assertThat(client.connect("[::1]:" + v6.port()).status()).isEqualTo(200);
        }
        // Absolute form reaches the fixture's plain upstream through a numeric spelling.
        Curl.Result plain = open.curl("http://2130706433:" + open.plain.port() + "/via-number");
        assertThat(plain.status()).as(plain.stderr()).isEqualTo(200);

        // The listener counts an accepted connection on its own thread, a moment after the daemon's connect.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(v4.accepted() - before).isEqualTo(loopbackSpellings().size());
            assertThat(v6.accepted() - before6).isEqualTo(1);
        });
        assertThat(open.plain.requests()).extracting(r -> r.uri()).contains("/via-number");
    }
}
