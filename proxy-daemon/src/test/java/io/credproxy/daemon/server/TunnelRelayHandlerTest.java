package io.credproxy.daemon.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.credproxy.daemon.metrics.ProxyMetrics;
import io.credproxy.daemon.pipeline.AuditRecorder;
import io.credproxy.daemon.pipeline.Connection;
import io.credproxy.daemon.pipeline.Exchange;
import io.credproxy.daemon.pipeline.Chains;
import io.credproxy.daemon.pipeline.Target;
import io.credproxy.daemon.policy.Policy;
import io.credproxy.daemon.secrets.Secrets;
import io.credproxy.protocol.config.HostPort;
import io.credproxy.protocol.report.AuditEvent;
import io.credproxy.protocol.report.Decision;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TunnelRelayHandlerTest {
    @Test
    void bytesGoBothWaysUntouchedAndTheTunnelIsRecordedOnceBothSidesClosed() throws Exception {
        List<AuditEvent> events = new ArrayList<>();
        ProxyMetrics stats = new ProxyMetrics();
        Target target = new Target(new Connection(null, "127.0.0.1:1"), "app", new HostPort("passthrough.test", 443),
                Target.Kind.CONNECT, "CONNECT", Policy.resolve(List.of(), new Secrets("test", Map.of())));
        TunnelAccounting accounting = new TunnelAccounting(Exchange.connect(target, Exchange.Scheme.TUNNEL),
                Chains.standard(new AuditRecorder(events::add)), stats);
        EmbeddedChannel client = new EmbeddedChannel();
        EmbeddedChannel upstream = new EmbeddedChannel();
        client.pipeline().addLast(new TunnelRelayHandler(upstream, accounting, true));
        upstream.pipeline().addLast(new TunnelRelayHandler(client, accounting, false));
        assertThat(stats.tunnels()).isEqualTo(1);

        client.writeInbound(Unpooled.copiedBuffer("\u0016\u0003\u0001client hello", StandardCharsets.ISO_8859_1));
        upstream.writeInbound(Unpooled.copiedBuffer("server hello!", StandardCharsets.ISO_8859_1));

        assertThat(text(upstream.readOutbound())).isEqualTo("\u0016\u0003\u0001client hello");
        assertThat(text(client.readOutbound())).isEqualTo("server hello!");
        assertThat(events).isEmpty();

        client.close();
        upstream.runPendingTasks();

        assertThat(upstream.isOpen()).isFalse();
        assertThat(stats.tunnels()).isZero();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.decision()).isEqualTo(Decision.TUNNEL);
            assertThat(e.bytesUp()).isEqualTo(15);
            assertThat(e.bytesDown()).isEqualTo(13);
            assertThat(e.host()).isEqualTo("passthrough.test");
            assertThat(e.scheme()).isEqualTo("tunnel");
            assertThat(e.status()).as("a tunnel has no HTTP status the daemon can see").isZero();
        });
    }

    private static String text(Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }
}
