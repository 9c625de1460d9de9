package io.credproxy.daemon.server;

import io.credproxy.daemon.pipeline.StageResult;
import io.credproxy.protocol.config.HostPort;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Hands out embedded channels (or failures) in order, and records what the handler does with them. */
final class FakeUpstreams implements Upstreams {
    final Deque<Object> next = new ArrayDeque<>();
    final List<UpstreamKey> keys = new ArrayList<>();
    final List<Boolean> pooledAllowed = new ArrayList<>();
    final List<Channel> released = new ArrayList<>();
    final Set<Channel> pooled = new HashSet<>();
    /** The address every fake upstream resolves to. */
    static final InetSocketAddress ADDRESS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
    /** Addresses judged by the exchange's check, one per acquire or tunnel. */
    final List<InetSocketAddress> checked = new ArrayList<>();

    /** An upstream channel as the connector builds it, minus the network and the codec. */
    static EmbeddedChannel upstream() {
        return new EmbeddedChannel(new UpstreamHandler());
    }

    FakeUpstreams then(Object channelOrFailure) {
        next.add(channelOrFailure);
        return this;
    }

    @Override
    public Future<Channel> acquire(UpstreamKey key, EventLoop loop, boolean allowPooled, UpstreamAddressCheck check) {
        keys.add(key);
        pooledAllowed.add(allowPooled);
        return answer(loop, check);
    }

    @Override
    public boolean wasPooled(Channel channel) {
        return pooled.contains(channel);
    }

    @Override
    public void release(Channel channel) {
        released.add(channel);
    }

    @Override
    public Future<Channel> connectTunnel(HostPort destination, EventLoop loop, UpstreamAddressCheck check) {
        return answer(loop, check);
    }

    private Future<Channel> answer(EventLoop loop, UpstreamAddressCheck check) {
        // Like the connector: every upstream "resolves" to ADDRESS, judged before anything is handed out.
        checked.add(ADDRESS);
        StageResult verdict = check.check(ADDRESS);
        if (!verdict.proceeds()) {
            return loop.newFailedFuture(new AddressRefusedException(verdict));
        }
        Object n = next.poll();
        if (n instanceof Throwable t) {
            return loop.newFailedFuture(t);
        }
        if (n == null) {
            return loop.newFailedFuture(new IllegalStateException("no upstream prepared"));
        }
        return loop.newSucceededFuture((Channel) n);
    }
}
