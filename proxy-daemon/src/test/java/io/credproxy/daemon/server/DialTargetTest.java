package io.credproxy.daemon.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class DialTargetTest {

    @Test
    void theUnspecifiedAddressIsDialledAsLoopbackOfItsOwnFamily() throws Exception {
        assertThat(DialTarget.of(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 8443)))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8443));
        assertThat(DialTarget.of(new InetSocketAddress(InetAddress.getByName("::"), 8443)))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 8443));
    }

    @Test
    void everyOtherAddressIsDialledExactlyAsJudged() throws Exception {
        for (String literal : new String[] {"127.0.0.1", "127.0.0.2", "::1", "192.0.2.7", "2001:db8::7"}) {
            InetSocketAddress judged = new InetSocketAddress(InetAddress.getByName(literal), 443);
            assertThat(DialTarget.of(judged)).as(literal).isSameAs(judged);
        }
    }
}
