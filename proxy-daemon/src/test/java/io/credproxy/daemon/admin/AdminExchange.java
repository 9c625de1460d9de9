package io.credproxy.daemon.admin;

import io.credproxy.daemon.metrics.LimitMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;

/** Runs raw HTTP through the admin server's pipeline (timeouts, codec, body budget, router) in an {@link EmbeddedChannel}. */
final class AdminExchange {
    private AdminExchange() {}

    /** Sends {@code raw} and returns everything the admin handler wrote back. */
    static String exchange(AdminRouter router, String raw) {
        EmbeddedChannel ch = new EmbeddedChannel();
        new AdminServer.Shared(router, Runnable::run, AdminLimits.defaults(), new LimitMetrics(new SimpleMeterRegistry()))
                .configure(ch.pipeline());
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.UTF_8));
        ch.runPendingTasks();
        StringBuilder out = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.append(((ByteBuf) o).toString(StandardCharsets.UTF_8));
            ((ByteBuf) o).release();
        }
        ch.finishAndReleaseAll();
        return out.toString();
    }
}
