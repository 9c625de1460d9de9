package io.credproxy.daemon.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one admin request at a time per connection: routes it, runs the endpoint on the admin
 * executor, writes the answer, and only then reads the next request (a client that pipelines is
 * cut off: nothing queues up behind a slow endpoint). The request's body budget is released once
 * the endpoint has answered.
 */
final class AdminHandler extends SimpleChannelInboundHandler<AdminBodies.Received> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

    private final AdminRouter router;
    private final Executor executor;
    private boolean busy;

    AdminHandler(AdminRouter router, Executor executor) {
        this.router = router;
        this.executor = executor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, AdminBodies.Received received) {
        if (busy) {
            received.release().run();
            ctx.close();
            return;
        }
        busy = true;
        ctx.channel().config().setAutoRead(false);
        try {
            serve(ctx, received);
        } catch (RuntimeException e) {
            received.release().run();
            throw e;
        }
    }

    private void serve(ChannelHandlerContext ctx, AdminBodies.Received received) {
        HttpRequest request = received.head();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        Runnable done = () -> {
            received.release().run();
            busy = false;
            ctx.channel().config().setAutoRead(true);
        };
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        AdminRouter.Route route = router.route(request.method().name(), uri.path());
        if (route.endpoint() == null) {
            if (route.allowed().isEmpty()) {
                write(ctx, AdminResponse.text(404, "not found\n"), keepAlive);
            } else {
                write(ctx, new AdminResponse(405, AdminResponse.TEXT, "method not allowed\n".getBytes(StandardCharsets.UTF_8),
                        Map.of("Allow", String.join(", ", route.allowed()))), keepAlive);
            }
            done.run();
            return;
        }
        AdminRequest adminRequest = new AdminRequest(request.method().name(), uri.path(), uri.parameters(),
                headers(request), received.body(), remote(ctx), inet(ctx.channel().remoteAddress()),
                inet(ctx.channel().localAddress()));
        AdminEndpoint endpoint = route.endpoint();
        try {
            executor.execute(() -> {
                AdminResponse response;
                try {
                    response = endpoint.handle(adminRequest);
                    if (response == null) {
                        throw new IllegalStateException("endpoint returned no response");
                    }
                } catch (Exception | Error e) {
                    // The class only: an endpoint's exception message is not for the client or the log.
                    LOG.warn("admin endpoint {} {} failed: {}", adminRequest.method(), adminRequest.path(), e.getClass().getName());
                    response = AdminResponse.text(500, "internal error\n");
                }
                AdminResponse r = response;
                ctx.executor().execute(() -> {
                    write(ctx, r, keepAlive);
                    done.run();
                });
            });
        } catch (RejectedExecutionException e) {
            done.run();
            write(ctx, AdminResponse.text(503, "busy or shutting down\n"), false);
        }
    }

    private static Map<String, List<String>> headers(HttpRequest request) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : request.headers()) {
            out.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(e.getValue());
        }
        return out;
    }

    private static String remote(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress inet) {
            return inet.getHostString() + ":" + inet.getPort();
        }
        return String.valueOf(ctx.channel().remoteAddress());
    }

    private static InetSocketAddress inet(java.net.SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet : null;
    }

    static void write(ChannelHandlerContext ctx, AdminResponse response, boolean keepAlive) {
        var written = send(ctx, response, keepAlive);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Writes the response, marked {@code Connection: close} unless kept alive; the caller decides how to end. */
    static ChannelFuture send(ChannelHandlerContext ctx, AdminResponse response, boolean keepAlive) {
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()),
                Unpooled.wrappedBuffer(response.body()));
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        out.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        out.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        response.headers().forEach((name, value) -> out.headers().set(name, value));
        if (!keepAlive) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return ctx.writeAndFlush(out);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("admin connection failed: {}", cause.getClass().getName());
        ctx.close();
    }
}
