package io.credproxy.daemon.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.metrics.Limit;
import io.credproxy.daemon.metrics.LimitMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The admin pipeline's limits on embedded channels: the shared body budget, the request timeout, one request at a time. */
class AdminLimitsTest {
    private final LimitMetrics metrics = new LimitMetrics(new SimpleMeterRegistry());
    private final List<Runnable> endpointQueue = new ArrayList<>();
    private final AdminRouter router = new AdminRouter()
            .register("POST", "/events", request -> AdminResponse.text(202, "got " + request.body().length + "\n"))
            .register("GET", "/healthz", new HealthEndpoint());
    /** One body of the largest size at a time, a one-second request timeout; endpoints run when the test says. */
    private final AdminServer.Shared shared = new AdminServer.Shared(router, endpointQueue::add,
            new AdminLimits(4, 1000, 15_000, AdminServer.MAX_BODY_BYTES), metrics);

    private EmbeddedChannel connection() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        shared.configure(ch.pipeline());
        return ch;
    }

    private static void send(EmbeddedChannel ch, String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    private static String answer(EmbeddedChannel ch) {
        ch.runPendingTasks();
        StringBuilder out = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.append(((ByteBuf) o).toString(StandardCharsets.ISO_8859_1));
            ((ByteBuf) o).release();
        }
        return out.toString();
    }

    private void runEndpoints() {
        List<Runnable> now = new ArrayList<>(endpointQueue);
        endpointQueue.clear();
        now.forEach(Runnable::run);
    }

    @Test
    void bodiesInFlightShareOneBudgetUntilTheirEndpointHasAnswered() {
        String half = "x".repeat(AdminServer.MAX_BODY_BYTES / 2);
        EmbeddedChannel first = connection();
        EmbeddedChannel second = connection();
        send(first, "POST /events HTTP/1.1\r\nHost: x\r\nContent-Length: " + half.length() + "\r\n\r\n" + half);
        send(second, "POST /events HTTP/1.1\r\nHost: x\r\nContent-Length: " + AdminServer.MAX_BODY_BYTES + "\r\n\r\n" + half);
        send(second, half); // the second half no longer fits: the first still holds its part

        assertThat(answer(second)).startsWith("HTTP/1.1 503").contains("busy");
        assertThat(second.isOpen()).isFalse();
        assertThat(metrics.rejections(Limit.ADMIN_BODIES)).isEqualTo(1);

        runEndpoints();
        assertThat(answer(first)).startsWith("HTTP/1.1 202").endsWith("got " + half.length() + "\n");
        EmbeddedChannel third = connection();
        String full = "x".repeat(AdminServer.MAX_BODY_BYTES);
        send(third, "POST /events HTTP/1.1\r\nHost: x\r\nContent-Length: " + full.length() + "\r\n\r\n" + full);
        runEndpoints();
        assertThat(answer(third)).as("answered: the budget is free again").startsWith("HTTP/1.1 202");
    }

    @Test
    void aBodyThatTricklesPastTheRequestTimeoutIs408() {
        EmbeddedChannel ch = connection();
        send(ch, "POST /events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + "x".repeat(10));
        for (int i = 0; i < 10; i++) {
            send(ch, "x");
            ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
        }

        assertThat(answer(ch)).startsWith("HTTP/1.1 408");
        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.rejections(Limit.ADMIN_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void aHeadThatTricklesPastTheRequestTimeoutIsCutOffToo() {
        EmbeddedChannel ch = connection();
        send(ch, "GET /hea");
        ch.advanceTimeBy(1000, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();

        assertThat(answer(ch)).startsWith("HTTP/1.1 408");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aClientThatPipelinesIsCutOffRatherThanQueuedBehindASlowEndpoint() {
        EmbeddedChannel ch = connection();
        send(ch, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(endpointQueue).hasSize(1);
        assertThat(ch.isOpen()).isFalse();
    }
}
