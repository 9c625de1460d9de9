package io.credproxy.demo;

import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A non-blocking {@code SocketChannel} connect (what NIO clients do), then TLS over the channel's
 * socket: nothing but the socket layer can route it.
 */
public final class SocketChannelDemo {
    private SocketChannelDemo() {}

    public static void main(String[] args) {
        DemoTarget target = DemoTarget.fromEnvironment();
        try (SocketChannel channel = SocketChannel.open()) {
            channel.configureBlocking(false);
            boolean connected = channel.connect(new InetSocketAddress(target.host(), target.port()));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!connected && System.nanoTime() < deadline) {
                Thread.sleep(10);
                connected = channel.finishConnect();
            }
            channel.configureBlocking(true);
            channel.socket().setSoTimeout(20_000);
            try (SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(channel.socket(), target.host(), target.port(), true)) {
                tls.startHandshake();
                RawHttp.Result result = RawHttp.get(tls.getInputStream(), tls.getOutputStream(), target);
                DemoTarget.report("java.nio.channels.SocketChannel", result.status(), result.body());
            }
        } catch (Exception e) {
            DemoTarget.fail("java.nio.channels.SocketChannel", e);
        }
    }
}
