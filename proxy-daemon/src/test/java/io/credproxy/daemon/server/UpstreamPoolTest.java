package io.credproxy.daemon.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.protocol.config.HostPort;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamPoolTest {
    private static final UpstreamKey KEY = new UpstreamKey(true, new HostPort("api.example.com", 443));
    private static final UpstreamKey OTHER = new UpstreamKey(true, new HostPort("other.example.com", 443));

    @Test
    void theDaemonsPoolKeepsEveryConnectionABusyLoopReturns() {
        // Hundreds of clients of one host on one loop: each returned connection must stay for the
        // next request, or every request beyond the cap pays a new TLS handshake.
        UpstreamPool pool = new UpstreamPool(UpstreamConnector.MAX_IDLE_PER_KEY);
        List<EmbeddedChannel> channels = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            EmbeddedChannel ch = new EmbeddedChannel();
            channels.add(ch);
            assertThat(pool.offer(KEY, ch)).isTrue();
        }
        assertThat(pool.idleCount(KEY)).isEqualTo(600);
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void refusesBeyondItsCapSoTheCallerClosesTheSurplus() {
        UpstreamPool pool = new UpstreamPool(2);
        assertThat(pool.offer(KEY, new EmbeddedChannel())).isTrue();
        assertThat(pool.offer(KEY, new EmbeddedChannel())).isTrue();
        assertThat(pool.offer(KEY, new EmbeddedChannel())).isFalse();
        assertThat(pool.offer(OTHER, new EmbeddedChannel())).isTrue();
    }

    @Test
    void handsOutTheMostRecentOpenConnectionOfTheSameHostOnly() {
        UpstreamPool pool = new UpstreamPool(8);
        EmbeddedChannel older = new EmbeddedChannel();
        EmbeddedChannel newer = new EmbeddedChannel();
        EmbeddedChannel closed = new EmbeddedChannel();
        pool.offer(KEY, older);
        pool.offer(KEY, newer);
        pool.offer(KEY, closed);
        closed.close();
        assertThat(pool.poll(OTHER)).isNull();
        assertThat(pool.poll(KEY)).isSameAs(newer);
        assertThat(pool.poll(KEY)).isSameAs(older);
        assertThat(pool.poll(KEY)).isNull();
    }
}
