package io.credproxy.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;

/**
 * An {@code AsynchronousSocketChannel} connect (the JDK's own asynchronous I/O: no {@code Socket}, no
 * {@code SocketChannel}), then TLS through an {@code SSLEngine} and HTTP written by hand.
 */
public final class AsyncChannelDemo {
    private static final String NAME = "java.nio.channels.AsynchronousSocketChannel";

    private AsyncChannelDemo() {}

    public static void main(String[] args) {
        try {
            call(DemoTarget.fromEnvironment());
        } catch (Exception e) {
            DemoTarget.fail(NAME, e);
        }
    }

    /** One GET; prints the outcome line. */
    static void call(DemoTarget target) throws Exception {
        try (AsynchronousSocketChannel channel = AsynchronousSocketChannel.open()) {
            channel.connect(new InetSocketAddress(target.host(), target.port())).get(10, TimeUnit.SECONDS);
            SSLEngine engine = SSLContext.getDefault().createSSLEngine(target.host(), target.port());
            engine.setUseClientMode(true);
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
            TlsStreams tls = new TlsStreams(channel, engine);
            RawHttp.Result result = RawHttp.get(tls.in, tls.out, target);
            DemoTarget.report(NAME, result.status(), result.body());
        }
    }

    /** Blocking streams over an {@code SSLEngine} on an asynchronous channel: the smallest loop that works. */
    private static final class TlsStreams {
        final AsynchronousSocketChannel channel;
        final SSLEngine engine;
        final ByteBuffer netIn;
        final ByteBuffer appIn;
        boolean closed;
        final InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (appIn.position() == 0) {
                    if (closed || !unwrap()) {
                        return -1;
                    }
                }
                appIn.flip();
                int n = Math.min(len, appIn.remaining());
                appIn.get(b, off, n);
                appIn.compact();
                return n;
            }
        };
        final OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                wrap(ByteBuffer.wrap(b, off, len));
            }
        };

        TlsStreams(AsynchronousSocketChannel channel, SSLEngine engine) throws IOException {
            this.channel = channel;
            this.engine = engine;
            this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() * 2);
            engine.beginHandshake();
            handshake();
        }

        private void handshake() throws IOException {
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_WRAP -> wrap(ByteBuffer.allocate(0));
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (!unwrap()) {
                            throw new IOException("connection closed during the TLS handshake");
                        }
                    }
                    case NEED_TASK -> engine.getDelegatedTask().run();
                    default -> {
                        return;
                    }
                }
            }
        }

        private void wrap(ByteBuffer data) throws IOException {
            do {
                ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
                engine.wrap(data, net);
                net.flip();
                while (net.hasRemaining()) {
                    io(channel.write(net));
                }
            } while (data.hasRemaining());
        }

        /** One step of reading: false at end of stream. */
        private boolean unwrap() throws IOException {
            netIn.flip();
            SSLEngineResult result = engine.unwrap(netIn, appIn);
            netIn.compact();
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                closed = true;
                return false;
            }
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || result.bytesProduced() == 0
                    && result.bytesConsumed() == 0 && result.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_TASK) {
                if (io(channel.read(netIn)) < 0) {
                    return false;
                }
            }
            while (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                engine.getDelegatedTask().run();
            }
            return true;
        }

        private static int io(java.util.concurrent.Future<Integer> operation) throws IOException {
            try {
                return operation.get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("asynchronous I/O failed: " + e, e);
            }
        }
    }
}
