package io.credproxy.daemon.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.metrics.Limit;
import io.credproxy.daemon.metrics.LimitMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdleTimeoutTest {
    private final LimitMetrics metrics = new LimitMetrics(new SimpleMeterRegistry());

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        IdleTimeout.install(ch.pipeline(), 1000, Limit.IDLE_TIMEOUT, metrics);
        return ch;
    }

    private static void tick(EmbeddedChannel ch, long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void aConnectionWithoutTrafficIsClosedAndCounted() {
        EmbeddedChannel ch = channel();
        tick(ch, 600);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
        ch.releaseInbound();
        tick(ch, 600);
        assertThat(ch.isOpen()).as("traffic 600 ms ago").isTrue();

        tick(ch, 500);

        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.rejections(Limit.IDLE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void whileSuspendedSilenceIsNotIdlenessAndAfterwardsTheTimerRunsAgain() {
        EmbeddedChannel ch = channel();
        IdleTimeout.suspend(ch.pipeline(), true);
        tick(ch, 5000);
        assertThat(ch.isOpen()).isTrue();

        IdleTimeout.suspend(ch.pipeline(), false);
        tick(ch, 1100);

        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aTunnelGetsItsOwnTimeoutInThePlaceOfTheFirst() {
        EmbeddedChannel ch = channel();
        IdleTimeout.replace(ch.pipeline(), 3000, Limit.TUNNEL_IDLE_TIMEOUT, metrics);
        tick(ch, 2000);
        assertThat(ch.isOpen()).isTrue();

        tick(ch, 1100);

        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.rejections(Limit.TUNNEL_IDLE_TIMEOUT)).isEqualTo(1);
        assertThat(metrics.rejections(Limit.IDLE_TIMEOUT)).isZero();
    }
}
