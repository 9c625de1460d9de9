package io.credproxy.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.credproxy.daemon.metrics.Limit;
import io.credproxy.testing.SystemUser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With identification on, {@code max_connections_per_peer} is each local user's, not 127.0.0.1's:
 * one user ({@code setpriv --reuid}) holding its 3 connections does not lock another user out; its own
 * 4th is closed before anything is read (no response at all) and counted, and once it lets go it gets
 * in again. Skipped, saying why, when not root or without python3.
 */
class PerUserConnectionLimitIT {
    /**
     * Holds 3 connections, each proven counted by an answered request (nothing is read before the
     * count), then tries a 4th; prints what happened to it and holds on until stdin closes.
     */
    private static final String HOG = """
            import socket, sys
            REQUEST = b"GET http://%s/ HTTP/1.1\\r\\nHost: %s\\r\\n\\r\\n"
            def status(s):
                s.sendall(REQUEST)
                data = b""
                while b"\\r\\n\\r\\n" not in data:
                    chunk = s.recv(4096)
                    if not chunk:
                        return "closed"
                    data += chunk
                return data.split(b"\\r\\n", 1)[0].decode()
            held = []
            for i in range(3):
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
                print("held", status(s), flush=True)
                held.append(s)
            fourth = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
            try:
                print("fourth", status(fourth), flush=True)
            except socket.timeout:
                print("fourth timed out (held, not closed)", flush=True)
            except OSError as e:
                print("fourth closed", type(e).__name__, flush=True)
            print("holding", flush=True)
            sys.stdin.read()
            """.formatted(DaemonFixture.NO_RULE_PLAIN, DaemonFixture.NO_RULE_PLAIN);

    @TempDir
    Path dir;
    /** Where the users' curl writes its output. */
    private Path curlOut;

    @Test
    void oneLocalUserHoldingItsShareLeavesAnotherUsersShareAlone() throws Exception {
        String unavailable = SystemUser.unavailableReason();
        if (unavailable == null && !Files.isExecutable(Path.of("/usr/bin/python3"))) {
            unavailable = "/usr/bin/python3 is missing";
        }
        if (unavailable != null) {
            System.out.println("PerUserConnectionLimitIT skipped: " + unavailable);
        }
        assumeTrue(unavailable == null, unavailable);
        // The users' curl writes its output here: open the way for them.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        curlOut = Files.createDirectory(dir.resolve("curl"));
        Files.setPosixFilePermissions(curlOut, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (SystemUser hog = SystemUser.create("cpit-hog"); SystemUser other = SystemUser.create("cpit-other");
                DaemonFixture fx = DaemonFixture.start(dir, """
                        limits:
                          max_connections_per_peer: 3
                        apps:
                          hog: {uids: [%d]}
                          other: {uids: [%d]}
                        """.formatted(hog.uid(), other.uid()))) {
            String port = String.valueOf(fx.proxyPort());
            Process holder = new ProcessBuilder(hog.command(List.of("/usr/bin/python3", "-c", HOG, port)))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                List<String> said = new ArrayList<>();
                BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
                for (String line = out.readLine(); line != null && !line.equals("holding"); line = out.readLine()) {
                    said.add(line);
                }
                assertThat(said).as("3 held and answered, the 4th closed unread (an EOF or a reset)").hasSize(4);
                assertThat(said.subList(0, 3)).containsOnly("held HTTP/1.1 200 OK");
                assertThat(said.get(3)).startsWith("fourth closed");
                assertThat(fx.daemon.reporting().limitMetrics().rejections(Limit.MAX_CONNECTIONS_PER_PEER)).isEqualTo(1);

                assertThat(curl(other, port)).as("another user on 127.0.0.1 still gets in").isEqualTo(200);
                assertThat(curl(hog, port)).as("the holder's next is refused too (no status)").isZero();
                assertThat(fx.daemon.reporting().limitMetrics().rejections(Limit.MAX_CONNECTIONS_PER_PEER)).isEqualTo(2);
            } finally {
                holder.getOutputStream().close();
                assertThat(holder.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(curl(hog, port)).as("its share back once it let go").isEqualTo(200));
        }
    }

    /**
     * curl as {@code user} through the proxy ({@link Curl}, run under the user's {@code setpriv}): the
     * status, 0 when the connection closed without one.
     */
    private int curl(SystemUser user, String port) throws Exception {
        return Curl.run(user.command(List.of()), curlOut, List.of("--max-time", "10", "--proxy", "http://127.0.0.1:" + port,
                "http://" + DaemonFixture.NO_RULE_PLAIN + "/")).status();
    }
}
