package io.credproxy.bench.upstream;

import io.credproxy.bench.AuthVerdict;
import io.credproxy.bench.ExpectedAuth;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Routes one connection's requests: {@code /echo}, {@code /upload}, {@code /download}, {@code /sse};
 * every answer carries the {@link AuthVerdict} on the request's {@code Authorization}.
 *
 * <p>With {@code echo=1}, {@code /download} starts every 64 KiB block and {@code /sse} every event
 * with the {@code Authorization} value received, as an upstream that reflects the credential does:
 * the load a proxy that redacts responses must carry.
 *
 * <p>Request bodies are counted and released as they arrive, never kept. Streamed answers go out
 * through a {@link ChunkPump}, which writes only while the channel is writable.
 */
final class BenchUpstreamHandler extends SimpleChannelInboundHandler<HttpObject> {
    private static final int BLOCK = 64 * 1024;

    private final ExpectedAuth expected;
    private String path;
    private String verdict;
    private byte[] echo;
    private long uploaded;
    private ChunkPump pump;

    BenchUpstreamHandler(ExpectedAuth expected) {
        this.expected = expected;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (msg instanceof HttpRequest request) {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            path = uri.path();
            verdict = expected.verdictOn(request.headers().get(HttpHeaderNames.AUTHORIZATION));
            echo = longParam(uri, "echo", 0) == 1
                    ? String.valueOf(request.headers().get(HttpHeaderNames.AUTHORIZATION)).getBytes(StandardCharsets.ISO_8859_1) : null;
            uploaded = 0;
            switch (path) {
                case "/echo" -> full(ctx, HttpResponseStatus.OK, verdict);
                case "/download" -> download(ctx, longParam(uri, "bytes", 0));
                case "/sse" -> sse(ctx, (int) longParam(uri, "events", 3), longParam(uri, "intervalMs", 0));
                case "/upload" -> { } // answered at the end of the body
                default -> full(ctx, HttpResponseStatus.NOT_FOUND, "no such endpoint\n");
            }
        }
        if (msg instanceof HttpContent content) {
            uploaded += content.content().readableBytes();
            if (content instanceof LastHttpContent && "/upload".equals(path)) {
                full(ctx, HttpResponseStatus.OK, uploaded + "\n");
            }
        }
    }

    private void full(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                .set(AuthVerdict.HEADER, verdict)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        ctx.writeAndFlush(response);
    }

    private void download(ChannelHandlerContext ctx, long bytes) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
                .set(AuthVerdict.HEADER, verdict);
        HttpUtil.setContentLength(response, bytes);
        ctx.write(response);
        long[] left = {bytes};
        pump = new ChunkPump(ctx, () -> {
            if (left[0] == 0) {
                return null;
            }
            int n = (int) Math.min(BLOCK, left[0]);
            left[0] -= n;
            ByteBuf block = ctx.alloc().buffer(n);
            int echoed = echo == null ? 0 : Math.min(n, echo.length);
            block.writeBytes(echo == null ? new byte[0] : echo, 0, echoed);
            block.writeZero(n - echoed);
            return new DefaultHttpContent(block);
        }, 0, TimeUnit.MILLISECONDS);
        pump.start();
    }

    private void sse(ChannelHandlerContext ctx, int events, long intervalMs) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(AuthVerdict.HEADER, verdict);
        HttpUtil.setTransferEncodingChunked(response, true);
        ctx.write(response);
        int[] sent = {0};
        pump = new ChunkPump(ctx, () -> {
            if (sent[0] == events) {
                return null;
            }
            // The send time (CLOCK_MONOTONIC, shared by the processes of one machine) lets the client
            // measure each event's delivery delay.
            String echoed = echo == null ? "" : new String(echo, StandardCharsets.ISO_8859_1) + " ";
            byte[] event = ("data: " + sent[0]++ + " " + echoed + System.nanoTime() + "\n\n").getBytes(StandardCharsets.ISO_8859_1);
            return new DefaultHttpContent(Unpooled.wrappedBuffer(event));
        }, intervalMs, TimeUnit.MILLISECONDS);
        pump.start();
    }

    private static long longParam(QueryStringDecoder uri, String name, long fallback) {
        List<String> values = uri.parameters().get(name);
        try {
            return values == null || values.isEmpty() ? fallback : Long.parseLong(values.get(0));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (pump != null && ctx.channel().isWritable()) {
            pump.resume();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
