package io.credproxy.daemon.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.metrics.Limit;
import io.credproxy.daemon.metrics.LimitMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionLimitStageTest {
    private final LimitMetrics metrics = new LimitMetrics(new SimpleMeterRegistry());

    private static Connection from(String ip, int port) {
        return new Connection(new InetSocketAddress(ip, port), ip + ":" + port);
    }

    @Test
    void oneAddressGetsItsShareAndNoMoreWhileOthersStillGetIn() {
        ConnectionLimitStage stage = new ConnectionLimitStage(4, 2, metrics);
        Connection a1 = from("127.0.0.2", 1);
        assertThat(stage.onConnectionOpened(a1)).isTrue();
        assertThat(stage.onConnectionOpened(from("127.0.0.2", 2))).isTrue();
        assertThat(stage.onConnectionOpened(from("127.0.0.2", 3))).as("a third from the same peer").isFalse();
        assertThat(stage.onConnectionOpened(from("127.0.0.1", 4))).isTrue();
        assertThat(stage.onConnectionOpened(from("127.0.0.3", 5))).isTrue();
        assertThat(stage.onConnectionOpened(from("127.0.0.4", 6))).as("the fifth in all").isFalse();
        assertThat(stage.full()).isTrue();
        assertThat(metrics.rejections(Limit.MAX_CONNECTIONS_PER_PEER)).isEqualTo(1);
        assertThat(metrics.rejections(Limit.MAX_CONNECTIONS)).isEqualTo(1);

        stage.onConnectionClosed(a1);

        assertThat(stage.connections()).isEqualTo(3);
        assertThat(stage.onConnectionOpened(from("127.0.0.2", 7))).isTrue();
    }

    @Test
    void aRefusedConnectionOrOneClosedTwiceDoesNotReleaseAnotherOnesSlot() {
        ConnectionLimitStage stage = new ConnectionLimitStage(1, 1, metrics);
        Connection in = from("127.0.0.1", 1);
        Connection refused = from("127.0.0.1", 2);
        assertThat(stage.onConnectionOpened(in)).isTrue();
        assertThat(stage.onConnectionOpened(refused)).isFalse();

        stage.onConnectionClosed(refused); // the chain tells every stage, refusers included
        assertThat(stage.connections()).isEqualTo(1);
        stage.onConnectionClosed(in);
        stage.onConnectionClosed(in);
        assertThat(stage.connections()).isZero();
    }

    @Test
    void thePeerKeyCanComeFromAnEarlierStage() {
        AttributeKey<String> uid = AttributeKey.valueOf("test.uid");
        ConnectionLimitStage stage = new ConnectionLimitStage(10, 1, c -> c.attr(uid).get(), metrics);
        Connection tito = from("127.0.0.1", 1);
        tito.attr(uid).set("1001");
        Connection other = from("127.0.0.1", 2);
        other.attr(uid).set("1002");
        Connection titoAgain = from("127.0.0.1", 3);
        titoAgain.attr(uid).set("1001");

        assertThat(stage.onConnectionOpened(tito)).isTrue();
        assertThat(stage.onConnectionOpened(other)).as("same address, another identity").isTrue();
        assertThat(stage.onConnectionOpened(titoAgain)).isFalse();
    }

    @Test
    void countsStayExactUnderConcurrency() throws Exception {
        ConnectionLimitStage stage = new ConnectionLimitStage(100, 60, metrics);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger admitted = new AtomicInteger();
        List<Connection> in = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 1000; i++) {
            int n = i;
            pool.execute(() -> {
                Connection c = from("127.0.0." + (2 + n % 2), 1000 + n);
                if (stage.onConnectionOpened(c)) {
                    admitted.incrementAndGet();
                    in.add(c);
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        assertThat(admitted.get()).isEqualTo(100);
        assertThat(stage.connections()).isEqualTo(100);
        in.forEach(stage::onConnectionClosed);
        assertThat(stage.connections()).isZero();
    }
}
