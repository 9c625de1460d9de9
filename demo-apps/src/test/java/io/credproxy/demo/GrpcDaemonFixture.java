package io.credproxy.demo;

import io.credproxy.daemon.Daemon;
import io.credproxy.daemon.DaemonOptions;
import io.credproxy.daemon.config.ConfigLoader;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.testing.Canaries;
import io.credproxy.testing.GrpcTestServer;
import io.credproxy.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TLS gRPC server for {@value #HOST} that checks {@code x-goog-api-key}, and an in-process daemon
 * whose one rule injects that key (a canary) for the host: what the gRPC agent ITs run their child apps against.
 */
final class GrpcDaemonFixture implements AutoCloseable {
    static final String HOST = "grpc.googleapis.test";

    final Map<String, String> secrets = Canaries.values("GRPC_API_KEY");
    final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    final GrpcTestServer server;
    final Daemon daemon;

    GrpcDaemonFixture(Path dir) throws Exception {
        TestPki pki = TestPki.create("grpc upstream CA", List.of(HOST));
        server = GrpcTestServer.start(pki, "x-goog-api-key", secrets.get("GRPC_API_KEY"));
        try {
            Path secretsFile = Canaries.writeEnvFile(Files.createDirectories(dir.resolve("secret")).resolve("secrets.env"), secrets);
            Path config = Files.writeString(dir.resolve("credproxy.yaml"), String.join("\n",
                    "listen: 127.0.0.1:0",
                    "admin: 127.0.0.1:0",
                    "secrets: " + secretsFile,
                    "ca_dir: " + dir.resolve("ca"),
                    "audit_log: " + dir.resolve("audit.jsonl"),
                    "upstream:",
                    "  extra_ca: [" + pki.writeCaPem(dir.resolve("upstream-ca.pem")) + "]",
                    "  resolve: {\"" + HOST + ":443\": \"" + server.address() + "\"}",
                    "rules:",
                    "  - host: " + HOST,
                    "    headers: {X-Goog-Api-Key: \"${GRPC_API_KEY}\"}",
                    ""));
            daemon = Daemon.start(new ConfigLoader().load(config), DaemonOptions.defaults().withAuditSink(events::add));
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    /** The agent options naming this daemon and {@code app}. */
    String agentOptions(String app) {
        return "proxy=127.0.0.1:" + daemon.proxyAddress().getPort() + ",admin=127.0.0.1:" + daemon.adminAddress().getPort()
                + ",app=" + app;
    }

    @Override
    public void close() {
        daemon.close();
        server.close();
    }
}
