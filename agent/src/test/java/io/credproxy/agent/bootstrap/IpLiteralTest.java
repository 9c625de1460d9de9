package io.credproxy.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link IpLiteral} against the JDK's own reading of the same text ({@code InetAddress.getByName}),
 * which may never differ where both read a literal: the fence and the direct rules compare what the
 * agent parsed with the addresses the JDK connects to. The surefire configuration sets
 * {@code jdk.net.hosts.file}, so text that is not a literal is looked up in a file, never by DNS.
 */
class IpLiteralTest {
    @BeforeAll
    static void noDnsQueryCanLeave() {
        assertThat(System.getProperty("jdk.net.hosts.file")).as("the oracle must not query DNS").isNotNull();
    }

    @Test
    void theFormsInUseReadAsTheJdkReadsThem() {
        for (String text : List.of("127.0.0.1", "0.0.0.0", "255.255.255.255", "010.0.0.1", "10.1.2.3", "::1", "::",
                "fd00::", "fe80::1:2", "1::2:3:4:5:6:7", "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:8", "::ffff:127.0.0.1",
                "::ffff:7f00:1", "::127.0.0.1", "1:2:3:4:5:6:1.2.3.4", "::ffff:0:1.2.3.4", "2001:DB8::A", "::00001")) {
            assertThat(IpLiteral.parse(text)).as(text).isEqualTo(jdk(text)).isNotNull();
        }
    }

    @Test
    void whatIsNoLiteralIsNone() {
        for (String text : List.of("", ".", "1.2.3", "1.2.3.4.5", "1.2.3.256", "1.2.3.4.", "0x7f.0.0.1", "1..2.3",
                "1.2.3.0004", ":", ":::", ":1", "1:", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "1::2::3", "::1.2.3",
                "::1.2.3.4.5", "12345::", "g::1", "1:2:3:4:5:6:7:1.2.3.4", "localhost", "١٢٧.0.0.1", "::１")) {
            assertThat(IpLiteral.parse(text)).as(text).isNull();
        }
    }

    @Test
    void randomTextIsNeverReadOtherwiseThanTheJdkReadsIt() {
        Random random = new Random(20_260_901L);
        String alphabet = "0123456789abcdefABCDEF:.:.:";
        int literals = 0;
        for (int n = 0; n < 60_000; n++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(24);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String candidate = text.toString();
            byte[] mine = IpLiteral.parse(candidate);
            if (mine != null) {
                literals++;
                assertThat(mine).as(candidate).isEqualTo(jdk(candidate));
            } else if (candidate.indexOf(':') >= 0 || candidate.chars().filter(c -> c == '.').count() == 3) {
                // The JDK reads some forms this parser refuses (short and 4-digit IPv4 parts); never the reverse.
                byte[] theirs = jdk(candidate);
                if (theirs != null) {
                    assertThat(candidate).as("refused here, read by the JDK").matches(".*[.:]\\d{4,}.*|.*(^|[:.])\\d+\\.\\d+(\\.\\d+)?$");
                }
            }
        }
        assertThat(literals).as("the random text holds literals to compare").isGreaterThan(100);
    }

    /** The JDK's reading: its bytes, or {@code null} when it is no literal (the hosts file knows no such name). */
    private static byte[] jdk(String text) {
        try {
            return InetAddress.getByName(text.indexOf(':') >= 0 ? "[" + text + "]" : text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
