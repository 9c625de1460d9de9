package io.credproxy.agent.instrumentation.netty;

import io.credproxy.agent.instrumentation.ClientInstrumentation;
import io.credproxy.agent.weave.MethodHook;
import java.util.List;

/**
 * Netty's epoll transport, beyond the socket ({@link NettyNativeInstrumentation}): TCP fast open for
 * client connects is off under the agent, so that every connect takes {@code Socket.connect}; a
 * fast-open connect would send its first bytes with {@code sendto(MSG_FASTOPEN)} instead.
 */
public final class NettyEpollInstrumentation implements ClientInstrumentation {
    @Override
    public String client() {
        return "netty-epoll";
    }

    @Override
    public List<MethodHook> hooks() {
        return List.of(FastOpenOff.in("io.netty.channel.epoll.EpollSocketChannelConfig"));
    }
}
