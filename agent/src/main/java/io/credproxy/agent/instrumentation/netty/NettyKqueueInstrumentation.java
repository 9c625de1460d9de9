package io.credproxy.agent.instrumentation.netty;

import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.MethodHook;
import java.util.List;

/**
 * Netty's kqueue transport (macOS, the BSDs), beyond the socket ({@link NettyNativeInstrumentation}):
 * TCP fast open for client connects is off under the agent; a fast-open connect would use
 * {@code connectx(2)}, around {@code Socket.connect}.
 */
public final class NettyKqueueInstrumentation implements ClientInstrumentation {
    @Override
    public String client() {
        return "netty-kqueue";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(FastOpenOff.in("io.netty.channel.kqueue.KQueueSocketChannelConfig"));
    }
}
