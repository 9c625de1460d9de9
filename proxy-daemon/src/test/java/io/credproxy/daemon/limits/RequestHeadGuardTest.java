package io.credproxy.daemon.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.metrics.Limit;
import io.credproxy.daemon.metrics.LimitMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link RequestHeadGuard} and {@link HeadBudget} on embedded channels, with the clock in the test's hand. */
class RequestHeadGuardTest {
    private final LimitMetrics metrics = new LimitMetrics(new SimpleMeterRegistry());
    private final HeadBudget budget = new HeadBudget(100, Limit.BUFFERED_HEADS, metrics);

    private EmbeddedChannel channel(RequestHeadGuard guard) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(guard);
        return ch;
    }

    private RequestHeadGuard guard() {
        return new RequestHeadGuard(1000, Limit.HEADER_TIMEOUT, budget, 60, metrics);
    }

    private static void send(EmbeddedChannel ch, String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
        for (Object o; (o = ch.readInbound()) != null; ) {
            ((ByteBuf) o).release();
        }
    }

    private static String answer(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.append(((ByteBuf) o).toString(StandardCharsets.US_ASCII));
            ((ByteBuf) o).release();
        }
        return out.toString();
    }

    @Test
    void aHeadTrickledPastTheTimeoutIs408AndClosedHoweverSteadilyItComes() {
        EmbeddedChannel ch = channel(guard());
        for (int i = 0; i < 9; i++) {
            send(ch, "G");
            ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
        }
        assertThat(ch.isOpen()).as("0.9 s into the head").isTrue();

        ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();

        assertThat(answer(ch)).startsWith("HTTP/1.1 408 Request Timeout\r\n").contains("Connection: close")
                .endsWith("credproxy: request head not received in time\n");
        assertThat(ch.isOpen()).isFalse();
        assertThat(metrics.rejections(Limit.HEADER_TIMEOUT)).isEqualTo(1);
        assertThat(budget.used()).isZero();
    }

    @Test
    void theTimerRunsOnlyWhileAHeadIsUnderWay() {
        RequestHeadGuard guard = guard();
        EmbeddedChannel ch = channel(guard);
        ch.advanceTimeBy(5, TimeUnit.SECONDS); // idle before the first byte: not the header timeout's business
        ch.runScheduledPendingTasks();
        send(ch, "GET / HTTP/1.1\r\n");
        ch.advanceTimeBy(900, TimeUnit.MILLISECONDS);
        guard.headReceived();
        ch.advanceTimeBy(5, TimeUnit.SECONDS); // the exchange: not timed here
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();

        guard.awaitHead();
        send(ch, "GET /next");
        ch.advanceTimeBy(1000, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("the second head has its own second").isFalse();
    }

    @Test
    void insideATunnelTheTimerStartsAtOnceAndASilentClientIsJustClosed() {
        RequestHeadGuard guard = guard();
        EmbeddedChannel ch = channel(guard);
        guard.awaitHeadFromNow();
        ch.advanceTimeBy(1000, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();

        assertThat(answer(ch)).as("nothing decrypted arrived: no answer, the handshake may not be done").isEmpty();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void theBudgetEvictsTheOldestPartialHeadsWith503() {
        EmbeddedChannel oldest = channel(guard());
        EmbeddedChannel older = channel(guard());
        EmbeddedChannel newest = channel(guard());
        send(oldest, "x".repeat(40));
        send(older, "x".repeat(40));
        assertThat(budget.used()).isEqualTo(80);

        send(newest, "x".repeat(40)); // 120 > 100: the oldest makes room
        oldest.runPendingTasks();

        assertThat(answer(oldest)).startsWith("HTTP/1.1 503 Service Unavailable\r\n");
        assertThat(oldest.isOpen()).isFalse();
        assertThat(older.isOpen()).isTrue();
        assertThat(newest.isOpen()).isTrue();
        assertThat(budget.used()).isEqualTo(80);
        assertThat(metrics.rejections(Limit.BUFFERED_HEADS)).isEqualTo(1);
    }

    @Test
    void aCompleteHeadOrAClosedConnectionGivesItsBytesBack() {
        RequestHeadGuard guard = guard();
        EmbeddedChannel done = channel(guard);
        EmbeddedChannel gone = channel(guard());
        send(done, "x".repeat(30));
        send(gone, "x".repeat(30));

        guard.headReceived();
        gone.close();

        assertThat(budget.used()).isZero();
        send(done, "body bytes after the head are not counted");
        assertThat(budget.used()).isZero();
    }

    @Test
    void noMoreThanAHeadsWorthIsCountedForOneConnection() {
        EmbeddedChannel ch = channel(guard());
        send(ch, "x".repeat(500)); // a head and the start of its body in one read

        assertThat(budget.used()).isEqualTo(60);
        assertThat(ch.isOpen()).isTrue();
    }
}
