package io.credproxy.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.Daemon;
import io.credproxy.daemon.DaemonOptions;
import io.credproxy.daemon.config.ConfigLoader;
import io.credproxy.testing.Canaries;
import io.credproxy.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A compromised upstream echoes the credential the daemon injected, in every form and every place
 * ({@link EchoingUpstream}: status line, headers, body, trailers; raw, percent-encoded, Base64,
 * base64url, JSON-escaped; plain, chunked, gzip, deflate; pieces of 1 to 4096 bytes, each its own
 * TLS record), and curl, the JDK client and a raw client (HTTP/1.1 and 1.0) read everything it
 * sends through the daemon. The search looks at every byte they got, raw and decoded, for every
 * form: none may be there, and the redaction marker must (so the echo did happen).
 *
 * <p>The secret has characters that make its forms differ ({@code / + " < & > ' \ =} and a space).
 */
class EchoRedactionIT {
    private static final String HOST = "echo.test";

    @TempDir
    static Path dir;
    static TestPki pki;
    static EchoingUpstream echo;
    static Daemon daemon;
    static Path daemonCa;
    static Path out;
    static String secret;
    static Map<String, String> forms;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create("echo upstream CA", List.of(HOST));
        echo = EchoingUpstream.start(pki);
        secret = "echo/" + Canaries.value("ECHO_KEY") + "+\"<&>'\\= x";
        forms = EchoForms.of(secret);
        Path secrets = Canaries.writeEnvFile(Files.createDirectories(dir.resolve("secret")).resolve("secrets.env"), Map.of("ECHO_KEY", secret));
        out = Files.createDirectories(dir.resolve("out"));
        String config = String.join("\n",
                "listen: 127.0.0.1:0",
                "admin: 127.0.0.1:0",
                "secrets: " + secrets,
                "ca_dir: " + dir.resolve("ca"),
                "audit_log: " + out.resolve("audit.jsonl"),
                "upstream:",
                "  extra_ca: [" + pki.writeCaPem(dir.resolve("upstream-ca.pem")) + "]",
                "  resolve: {\"" + HOST + ":443\": \"" + echo.address() + "\"}",
                "rules:",
                "  - host: " + HOST,
                "    headers: {X-Api-Key: \"${ECHO_KEY}\"}",
                "");
        daemon = Daemon.start(new ConfigLoader().load(Files.writeString(dir.resolve("credproxy.yaml"), config)),
                DaemonOptions.defaults().withWorkerThreads(2));
        daemonCa = Files.writeString(dir.resolve("daemon-ca.pem"), daemon.certificateAuthority().certificatePem());
    }

    @AfterAll
    static void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    private static String url(String mode, int chunk) {
        return "https://" + HOST + "/echo?mode=" + mode + "&chunk=" + chunk;
    }

    @ParameterizedTest(name = "curl, {0}, pieces of {1} bytes")
    @CsvSource({"chunked, 1", "chunked, 5", "chunked, 4096", "length, 3", "length, 4096", "gzip, 1", "gzip, 7", "gzip, 4096",
            "deflate, 2", "deflate, 4096", "rawdeflate, 3"})
    void curlNeverSeesTheCredentialRawOrDecoded(String mode, int chunk) throws Exception {
        List<String> common = List.of("--proxy", "http://127.0.0.1:" + daemon.proxyAddress().getPort(), "--cacert", daemonCa.toString());
        List<String> raw = new ArrayList<>(common);
        // HTTP/1.1 as sent (chunks, reason phrase); the decoded read lets curl pick h2 by ALPN.
        raw.addAll(List.of("--raw", "--http1.1", url(mode, chunk)));
        Curl.Result asSent = Curl.run(out, raw);
        List<String> decoded = new ArrayList<>(common);
        decoded.addAll(List.of("--compressed", url(mode, chunk)));
        Curl.Result asRead = Curl.run(out, decoded);

        assertThat(asSent.status()).as(asSent.stderr()).isEqualTo(200);
        assertThat(asRead.status()).as(asRead.stderr()).isEqualTo(200);
        assertThat(asRead.body()).contains("{\"form\":\"raw\",\"value\":\"[REDACTED]\"}").endsWith("\"end\"]}\n");
        assertThat(asSent.headers()).as("an HTTP/1.1 reason phrase").contains("200 OK [REDACTED]");
        assertThat(asRead.headers()).containsIgnoringCase("X-Echo-raw: [REDACTED]");
        if (!mode.equals("length")) {
            assertThat(asRead.headers()).as("curl shows the trailers").containsIgnoringCase("X-Echo-Trailer: [REDACTED]");
        }
        assertNoForm(Map.of("raw headers", asSent.headers(), "raw body", asSent.body(), "headers", asRead.headers(),
                "decoded body", asRead.body(), "decoded by this test", decodeBody(asSent.headers(), asSent.body())));
    }

    @ParameterizedTest(name = "JDK HttpClient, {0}")
    @CsvSource({"chunked, 3", "length, 11", "gzip, 5", "deflate, 5", "rawdeflate, 4096"})
    void theJdkClientNeverSeesTheCredential(String mode, int chunk) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", daemon.proxyAddress().getPort())))
                .sslContext(TestPki.trusting(daemon.certificateAuthority().certificate()))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(url(mode, chunk)))
                .header("Accept-Encoding", "gzip, deflate").build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        String body = decode(response.headers().firstValue("Content-Encoding").orElse(""), response.body());
        assertThat(body).contains("{\"form\":\"base64\",\"value\":\"[REDACTED]").endsWith("\"end\"]}\n");
        assertNoForm(Map.of("headers", response.headers().map().toString(),
                "raw body", new String(response.body(), StandardCharsets.ISO_8859_1), "decoded body", body));
    }

    @ParameterizedTest(name = "raw client, {0}")
    @CsvSource({"HTTP/1.1, chunked, 1", "HTTP/1.1, gzip, 9", "HTTP/1.0, chunked, 6", "HTTP/1.0, length, 4096", "HTTP/1.0, gzip, 3"})
    void aRawClientReadingEveryByteToTheCloseNeverSeesTheCredential(String version, String mode, int chunk) throws Exception {
        byte[] all;
        try (RawClient client = new RawClient(daemon.proxyAddress().getPort(), "echo-it")) {
            assertThat(client.connect(HOST + ":443").status()).isEqualTo(200);
            client.startTls(TestPki.trusting(daemon.certificateAuthority().certificate()), HOST);
            client.send("GET /echo?mode=" + mode + "&chunk=" + chunk + " " + version + "\r\nHost: " + HOST
                    + "\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n");
            all = client.readAll();
        }

        String text = new String(all, StandardCharsets.ISO_8859_1);
        String head = text.substring(0, text.indexOf("\r\n\r\n"));
        String body = text.substring(text.indexOf("\r\n\r\n") + 4);
        if (version.equals("HTTP/1.0")) {
            assertThat(head.toLowerCase(Locale.ROOT)).as("close-delimited for HTTP/1.0").doesNotContain("transfer-encoding")
                    .doesNotContain("content-length").contains("connection: close");
        }
        String decoded = decodeBody(head, body);
        assertThat(decoded).contains("[REDACTED]").contains("\"end\"]}");
        assertNoForm(Map.of("every byte", text, "decoded", decoded));
    }

    @Test
    void theUpstreamReallyReceivedTheSecretItEchoes() throws Exception {
        Curl.Result r = Curl.run(out, List.of("--proxy", "http://127.0.0.1:" + daemon.proxyAddress().getPort(), "--cacert",
                daemonCa.toString(), url("chunked", 4096)));

        // The echo is redacted; its length says the upstream had the secret, not a placeholder.
        assertThat(r.body()).contains("[REDACTED]").doesNotContain("proxy-managed").doesNotContain("\"value\":\"null\"");
    }

    private static void assertNoForm(Map<String, String> texts) throws IOException {
        List<String> leaks = Canaries.findLeaks(forms, List.of(out), texts);
        assertThat(leaks).as("forms of the credential the client received").isEmpty();
    }

    /** The body a client ends up with: de-chunked (trailers kept) and decoded by its Content-Encoding. */
    private static String decodeBody(String head, String body) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        String content = body;
        String trailers = "";
        if (lower.contains("transfer-encoding: chunked")) {
            StringBuilder joined = new StringBuilder();
            String rest = body;
            while (true) {
                int eol = rest.indexOf("\r\n");
                int size = Integer.parseInt(rest.substring(0, eol).trim(), 16);
                if (size == 0) {
                    trailers = rest.substring(eol + 2);
                    break;
                }
                joined.append(rest, eol + 2, eol + 2 + size);
                rest = rest.substring(eol + 2 + size + 2);
            }
            content = joined.toString();
        }
        String coding = lower.contains("content-encoding: gzip") ? "gzip" : lower.contains("content-encoding: deflate") ? "deflate" : "";
        return trailers + decode(coding, content.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String decode(String coding, byte[] bytes) throws IOException {
        if (coding.isEmpty()) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        try (InputStream in = coding.equals("gzip") ? new GZIPInputStream(new ByteArrayInputStream(bytes))
                : new InflaterInputStream(new ByteArrayInputStream(bytes), new Inflater(bytes.length > 0 && (bytes[0] & 0x0f) != 8))) {
            ByteArrayOutputStream decoded = new ByteArrayOutputStream();
            in.transferTo(decoded);
            return decoded.toString(StandardCharsets.UTF_8);
        }
    }
}
