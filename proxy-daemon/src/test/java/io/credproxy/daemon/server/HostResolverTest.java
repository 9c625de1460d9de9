package io.credproxy.daemon.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The connector's resolver dials the address the egress policy judged, whatever the spelling. */
class HostResolverTest {
    private final HostResolver resolver = new HostResolver(1);
    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void tearDown() {
        resolver.close();
        loop.shutdownGracefully();
    }

    @ParameterizedTest
    @CsvSource({
            // The JDK alone reads 0177.0.0.1 as 177.0.0.1 (a public address): the daemon must dial 127.0.0.1.
            "0177.0.0.1, 127.0.0.1", "2130706433, 127.0.0.1", "0x7f.1, 127.0.0.1", "127.1, 127.0.0.1", "0, 0.0.0.0",
            "012.1.2.3, 10.1.2.3", "::ffff:127.0.0.1, 127.0.0.1", "::1, 0:0:0:0:0:0:0:1", "169.254.169.254., 169.254.169.254"})
    void literalsInEverySpellingAreTheAddressTheyMeanWithoutALookup(String host, String expected) throws Exception {
        Future<InetAddress> resolved = resolver.resolve(host, loop);

        assertThat(resolved.isDone()).as("answered at once, no lookup").isTrue();
        assertThat(resolved.getNow().getHostAddress()).isEqualTo(expected);
    }

    @Test
    void namesAreLookedUpAndInvalidHostsFailAsUnknown() throws Exception {
        assertThat(resolver.resolve("LOCALHOST.", loop).get().isLoopbackAddress()).isTrue();
        Future<InetAddress> invalid = resolver.resolve("256.1.1.1", loop).await();
        assertThat(invalid.cause()).isInstanceOf(UnknownHostException.class);
        assertThat(resolver.resolve("bad%host", loop).await().cause()).isInstanceOf(UnknownHostException.class);
    }
}
