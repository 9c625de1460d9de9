package io.credproxy.daemon.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.metrics.LimitMetrics;
import io.credproxy.daemon.pipeline.Connection;
import io.credproxy.daemon.pipeline.ConnectionLimitStage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoopGroup;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProxyHealthTest {
    @Test
    void eachThingThatStopsTheProxyFromAcceptingIsNamed() throws Exception {
        DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
        try (LoopHeartbeat heartbeat = new LoopHeartbeat(loops, 50)) {
            AtomicBoolean listening = new AtomicBoolean(true);
            ConnectionLimitStage connections = new ConnectionLimitStage(2, 2, new LimitMetrics(new SimpleMeterRegistry()));
            AtomicLong open = new AtomicLong(100);
            ProxyHealth health = new ProxyHealth(listening::get, connections, heartbeat, open::get, () -> 1000, 500);
            assertThat(health.problems()).isEmpty();

            listening.set(false);
            connections.onConnectionOpened(new Connection(new InetSocketAddress("127.0.0.1", 1), "127.0.0.1:1"));
            connections.onConnectionOpened(new Connection(new InetSocketAddress("127.0.0.1", 2), "127.0.0.1:2"));
            open.set(960);
            CountDownLatch stall = new CountDownLatch(1);
            loops.next().execute(() -> {
                try {
                    stall.await(); // a handler that blocks its loop
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread.sleep(1000);
            health.stopping();

            List<String> problems = health.problems();
            stall.countDown();

            assertThat(problems).containsExactly("shutting down", "the proxy port is not listening", "connection limit reached (2)",
                    "file descriptors nearly exhausted (960 of 1000)", "1 event loop(s) stalled for over 500 ms");
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
