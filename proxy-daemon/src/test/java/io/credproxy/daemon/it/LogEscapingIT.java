package io.credproxy.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.credproxy.daemon.audit.AuditJson;
import io.credproxy.protocol.wire.AgentEvent;
import io.credproxy.protocol.wire.AgentEventJson;
import io.credproxy.protocol.wire.AgentEventKind;
import io.credproxy.protocol.wire.ProxyIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No byte a client chose reaches the daemon's log or its audit log raw (issue 11: a CONNECT target
 * with ESC and BEL went raw into the access log). A CONNECT target full of control bytes (ESC
 * starting a colour sequence, BEL, NUL, DEL, the C1 CSI and NEL, invalid UTF-8) and a secret's
 * value, an app name with CR and LF, and agent events with controls and a right-to-left override
 * are sent; the daemon's stderr and audit log then hold only printable text and line breaks, the
 * escapes, and the secret's redaction, never its value.
 */
class LogEscapingIT {
    private static final ObjectMapper JSON = AuditJson.newMapper();

    @TempDir
    Path dir;

    @Test
    void controlAndInvisibleBytesAreEscapedInEveryLogLineAndAuditField() throws Exception {
        try (HostileWorkload w = HostileWorkload.start(dir, "")) {
            String canary = w.fx.secret("CLOUDFLARE_D1_API_TOKEN");
            byte[] target = bytes("evil", 0x1b, "[31m", 0x07, 0x00, 0x7f, 0x9b, "2J", 0x85, 0xc3, 0x28, "-" + canary + ".example:443");
            String app = "app\r\nFAKE LOG LINE \u001b[2J";
            byte[] connect = concat(bytes("CONNECT "), target, bytes(" HTTP/1.1\r\nHost: x\r\nProxy-Authorization: "
                    + new ProxyIdentity(app, "").toHeaderValue() + "\r\n\r\n"));
            try (RawClient client = w.fx.raw()) {
                client.sendBytes(connect);
                assertThat(client.readResponse().status()).isBetween(400, 599);
            }
            String nasty = "frame\r\nFAKE\u001b[2J\u0007\u202e\u200b";
            assertThat(EventsAbuseIT.post(w, AgentEventJson.toJsonArray(List.of(AgentEvent.socket(AgentEventKind.SOCKET_BLOCKED,
                    System.currentTimeMillis(), "events\u202eapp", nasty, "evil\u001b.example", 25, nasty))))).startsWith("202");
            w.assertResponsive("after the hostile names"); // and the audit writer has flushed since
            Thread.sleep(1_500);
            assertThat(w.stop()).isZero();

            String escapedTarget = "evil\\x1b[31m\\x07\\x00\\x7f\\x9b2j\\x85";
            assertThat(w.child.stderr()).as("the access log line").contains(escapedTarget);
            assertThat(Files.readAllLines(w.fx.auditLog)).as("the audit record")
                    .anySatisfy(line -> assertThat(JSON.readTree(line).path("host").asText()).startsWith(escapedTarget));
            for (Path file : List.of(w.fx.auditLog, w.child.stderrFile())) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                for (int i = 0; i < text.length(); i++) {
                    char c = text.charAt(i);
                    boolean control = (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f) || c == '\u202e' || c == '\u200b' || c == '\u2028';
                    assertThat(control).as("%s: U+%04X at %d: ...%s...", file, (int) c, i,
                            text.substring(Math.max(0, i - 40), Math.min(text.length(), i + 40))).isFalse();
                }
                assertThat(text).as("%s", file).doesNotContain(canary).doesNotContain("\nFAKE");
            }
            assertThat(Files.readString(w.fx.auditLog)).contains("\\u202e");
        }
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof Integer b) {
                out.write(b);
            } else {
                out.writeBytes(((String) p).getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p);
        }
        return out.toByteArray();
    }
}
