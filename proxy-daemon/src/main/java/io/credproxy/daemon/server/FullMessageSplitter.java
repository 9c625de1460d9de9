package io.credproxy.daemon.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.List;

/**
 * Splits a decoded {@link FullHttpMessage} into its head and a {@link io.netty.handler.codec.http.LastHttpContent},
 * so that an HTTP/2 stream reaches the proxy's handlers in the shape an HTTP/1.1 connection has.
 *
 * <p>{@link io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec} turns a HEADERS frame
 * that ends its stream (a GET, a trailers-only gRPC answer) or an informational response into one
 * full message; {@link ForwardHandler} and {@link UpstreamHandler} take a head, then body pieces,
 * then the last piece, and stay that way whatever the wire protocol.
 */
final class FullMessageSplitter extends MessageToMessageDecoder<FullHttpMessage> {
    FullMessageSplitter() {
        super(FullHttpMessage.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, FullHttpMessage full, List<Object> out) {
        if (full instanceof FullHttpRequest request) {
            out.add(new DefaultHttpRequest(request.protocolVersion(), request.method(), request.uri(), request.headers()));
        } else {
            FullHttpResponse response = (FullHttpResponse) full;
            out.add(new DefaultHttpResponse(response.protocolVersion(), response.status(), response.headers()));
        }
        out.add(new DefaultLastHttpContent(full.content().retain(), full.trailingHeaders()));
    }
}
