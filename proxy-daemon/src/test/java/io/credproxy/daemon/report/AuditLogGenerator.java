package io.credproxy.daemon.report;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.credproxy.daemon.audit.AuditJson;
import io.credproxy.daemon.audit.AuditLines;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.credproxy.protocol.wire.AgentEvent;
import io.credproxy.protocol.wire.AgentEventKind;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Writes a synthetic audit log in the daemon's format: for the streaming benchmark and for tests.
 *
 * <p>Run as {@code AuditLogGenerator FILE LINES}; 40 apps, 2,000 destinations, one agent event in
 * fifty lines, one request a second from a fixed start time.
 */
public final class AuditLogGenerator {
    public static final long START_MILLIS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private AuditLogGenerator() {}

    public static void write(Path file, long lines) throws IOException {
        ObjectWriter writer = AuditJson.newMapper().writer();
        Random random = new Random(42);
        Decision[] decisions = Decision.values();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (long i = 0; i < lines; i++) {
                long time = START_MILLIS + i * 1000;
                String app = "app-" + random.nextInt(40);
                Object line;
                if (i % 50 == 49) {
                    line = new AuditLines.AgentLine(AgentEvent.socket(
                            random.nextBoolean() ? AgentEventKind.SOCKET_BLOCKED : AgentEventKind.SOCKET_TUNNELED,
                            time, app, "java.net.Socket", "raw-" + random.nextInt(30) + ".example", 5432,
                            "com.example.Worker" + random.nextInt(5) + ".connect"));
                } else {
                    Decision d = decisions[random.nextInt(decisions.length)];
                    line = new AuditLines.RequestLine(new AuditEvent(time, app, "127.0.0.1:" + (40000 + random.nextInt(20000)),
                            "GET", d == Decision.TUNNEL ? "tunnel" : "https", "host-" + random.nextInt(2000) + ".example", 443,
                            d == Decision.TUNNEL ? null : "/v1/items", d,
                            d == Decision.INJECTED ? List.of("API_TOKEN") : List.of(),
                            d == Decision.TUNNEL ? 0 : 200, random.nextInt(5000), random.nextInt(50000),
                            random.nextInt(300), d == Decision.DENIED ? "host mismatch" : null));
                }
                out.write(writer.writeValueAsBytes(line));
                out.write('\n');
            }
        }
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        long lines = Long.parseLong(args[1]);
        long t0 = System.nanoTime();
        write(file, lines);
        System.out.printf("wrote %d lines (%d MiB) to %s in %d ms%n", lines, Files.size(file) >> 20, file,
                (System.nanoTime() - t0) / 1_000_000);
    }
}
