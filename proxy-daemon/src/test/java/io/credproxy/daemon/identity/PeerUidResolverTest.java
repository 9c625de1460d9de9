package io.credproxy.daemon.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code /proc/net/tcp*} reader, on captured files and on the live kernel.
 *
 * <p>{@code procnet/captured}: the lines of three connections made by uid 65534 (nobody) to listeners
 * of uid 0 on this machine, captured with {@code setpriv --reuid=65534}: IPv4 (127.0.0.1:39438 ->
 * :46771, in {@code tcp}), IPv6 ([::1]:33814 -> :41479) and IPv4-mapped ([::ffff:127.0.0.1]:44284 ->
 * :47691, in {@code tcp6}), each with the accepting side's line beside it. {@code procnet/decoys}:
 * lines in the kernel's format for what must never vouch for anyone: TIME_WAIT and orphaned sockets
 * (uid 0, inode 0), FIN_WAIT2, a socket connected to another port or from another address, uid -1, and
 * a line whose slot number is wider than four digits.
 */
class PeerUidResolverTest {
    private static PeerUidResolver captured;
    private static PeerUidResolver decoys;

    @BeforeAll
    static void files() throws URISyntaxException {
        // The captures were made on x86-64: addresses are printed in the machine's (little-endian) word order.
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the sample files are little-endian");
        captured = new PeerUidResolver(resource("procnet/captured"));
        decoys = new PeerUidResolver(resource("procnet/decoys"));
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(PeerUidResolverTest.class.getClassLoader().getResource(name).toURI());
    }

    private static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void findsTheOwnerOfAnIpv4AnIpv6AndAnIpv4MappedClientSocket() throws Exception {
        assertThat(captured.lookupNow(at("127.0.0.1", 39438), at("127.0.0.1", 46771))).isEqualTo(PeerUser.of(65534));
        assertThat(captured.lookupNow(at("::1", 33814), at("::1", 41479))).isEqualTo(PeerUser.of(65534));
        // Java reports an IPv4-mapped peer as a plain IPv4 address.
        assertThat(captured.lookupNow(at("127.0.0.1", 44284), at("127.0.0.1", 47691))).isEqualTo(PeerUser.of(65534));
    }

    @Test
    void neverTakesAnotherConnectionForTheClient() throws Exception {
        assertThat(captured.lookupNow(at("127.0.0.1", 39438), at("127.0.0.1", 46772)).known())
                .as("the client's port, but connected to another port").isFalse();
        assertThat(captured.lookupNow(at("127.0.0.1", 39439), at("127.0.0.1", 46771)).known()).isFalse();
    }

    @Test
    void socketsWithoutARealOwnerVouchForNobody() throws Exception {
        InetSocketAddress daemon = at("127.0.0.1", 8080);
        assertThat(decoys.lookupNow(at("127.0.0.1", 50001), daemon)).isEqualTo(PeerUser.of(1001));
        assertThat(decoys.lookupNow(at("127.0.0.1", 50000), daemon).known()).as("TIME_WAIT, listed as uid 0").isFalse();
        assertThat(decoys.lookupNow(at("127.0.0.1", 50002), daemon).known()).as("connected to port 9999").isFalse();
        assertThat(decoys.lookupNow(at("127.0.0.2", 50003), daemon)).as("from 127.0.0.2").isEqualTo(PeerUser.of(1003));
        assertThat(decoys.lookupNow(at("127.0.0.1", 50004), daemon)).as("slot 10000").isEqualTo(PeerUser.of(1004));
        assertThat(decoys.lookupNow(at("::1", 50010), daemon).known()).as("::1 -> 127.0.0.1 is no connection").isFalse();
        assertThat(decoys.lookupNow(at("::1", 50010), at("::1", 8080))).isEqualTo(PeerUser.of(1010));
        assertThat(decoys.lookupNow(at("127.0.0.1", 50020), daemon)).as("mapped").isEqualTo(PeerUser.of(1020));
        assertThat(decoys.lookupNow(at("127.0.0.1", 50021), daemon).known()).as("orphaned: inode 0, uid 0").isFalse();
        assertThat(decoys.lookupNow(at("127.0.0.1", 50022), daemon).known()).as("FIN_WAIT2").isFalse();
        assertThat(decoys.lookupNow(at("127.0.0.1", 50023), daemon).known()).as("uid -1").isFalse();
    }

    @Test
    void aPeerOffLoopbackOrAnUnreadableTableIsAnUnknownUser() throws Exception {
        assertThat(decoys.lookupNow(at("10.1.2.3", 50001), at("10.1.2.4", 8080)))
                .isEqualTo(PeerUser.unknown("not a loopback peer"));
        assertThat(decoys.lookupNow(null, at("127.0.0.1", 8080)).known()).isFalse();
        PeerUidResolver missing = new PeerUidResolver(Path.of("/nonexistent-proc-net"));
        PeerUser user = missing.lookupNow(at("127.0.0.1", 50001), at("127.0.0.1", 8080));
        assertThat(user.known()).isFalse();
        assertThat(user.unknownReason()).startsWith("cannot read /nonexistent-proc-net/tcp");
    }

    @Test
    void queuedLookupsAreAnsweredTogetherOffTheCallersThread() throws Exception {
        InetSocketAddress daemon = at("127.0.0.1", 8080);
        List<CompletableFuture<PeerUser>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answers.add(decoys.lookup(at("127.0.0.1", i % 2 == 0 ? 50001 : 50020), daemon));
        }
        answers.add(decoys.lookup(at("127.0.0.1", 50000), daemon));
        for (int i = 0; i < 200; i++) {
            assertThat(answers.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(PeerUser.of(i % 2 == 0 ? 1001 : 1020));
        }
        assertThat(answers.get(200).get(5, TimeUnit.SECONDS).known()).isFalse();
    }

    @Test
    void theLiveKernelNamesThisProcessForItsOwnSockets() throws Exception {
        assumeTrue(Path.of("/proc/net/tcp").toFile().canRead(), "no /proc/net/tcp here");
        long me = new UnixSystem().getUid();
        PeerUidResolver live = new PeerUidResolver(PeerUidResolver.PROC_NET);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            // A JVM socket: IPv6 with an IPv4-mapped address, listed in tcp6.
            assertThat(live.lookup((InetSocketAddress) accepted.getRemoteSocketAddress(),
                    (InetSocketAddress) accepted.getLocalSocketAddress()).get(5, TimeUnit.SECONDS)).isEqualTo(PeerUser.of(me));
            // A plain IPv4 socket (Python's), listed in tcp.
            Process python = new ProcessBuilder("python3", "-c", "import socket,sys,time\n"
                    + "s=socket.create_connection(('127.0.0.1'," + server.getLocalPort() + "))\n"
                    + "print(s.getsockname()[1],flush=True)\nsys.stdin.read()").start();
            try (Socket fromPython = server.accept();
                    BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.US_ASCII))) {
                assertThat(Integer.parseInt(out.readLine().trim())).isEqualTo(fromPython.getPort());
                assertThat(live.lookupNow((InetSocketAddress) fromPython.getRemoteSocketAddress(),
                        (InetSocketAddress) fromPython.getLocalSocketAddress())).isEqualTo(PeerUser.of(me));
            } finally {
                python.destroy();
                python.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
